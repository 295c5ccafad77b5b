package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The library that ships for this machine: stripped, loadable on Lambda's Amazon Linux (glibc 2.34; the aarch64 build 2.17). */
class NativeLibraryTest {
    /** The jar's folder for the architecture these tests run on, spelled out here rather than taken from the loader. */
    static final String PLATFORM = switch (System.getProperty("os.arch")) {
        case "amd64" -> "linux-x86-64";
        case "aarch64" -> "linux-aarch64";
        default -> "unsupported-" + System.getProperty("os.arch");
    };
    /** The newest GLIBC minor version allowed: the aarch64 build is linked by zig for glibc 2.17. */
    static final int MAX_GLIBC_MINOR = PLATFORM.equals("linux-aarch64") ? 17 : 34;
    static final Path SHIPPED = Paths.get("target/native/" + PLATFORM + "/libparamsecrets_java.so");

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** The newest GLIBC_x.y version the library needs ({@code objdump -T | grep -o GLIBC_... | sort -uV | tail -1}). */
    static int[] newestGlibc(Path lib) throws Exception {
        Matcher m = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)").matcher(run("objdump", "-T", lib.toString()));
        int[] newest = {0, 0};
        Comparator<int[]> cmp = Comparator.<int[]>comparingInt(v -> v[0]).thenComparingInt(v -> v[1]);
        while (m.find()) {
            int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            if (cmp.compare(v, newest) > 0) {
                newest = v;
            }
        }
        return newest;
    }

    static void assertLambdaCompatible(Path lib) throws Exception {
        int[] g = newestGlibc(lib);
        assertTrue(g[0] == 2 && g[1] >= 2, "found GLIBC versions: " + g[0] + "." + g[1]);
        assertTrue(g[0] < 2 || (g[0] == 2 && g[1] <= MAX_GLIBC_MINOR),
                "needs GLIBC_" + g[0] + "." + g[1] + " > 2." + MAX_GLIBC_MINOR + " (" + PLATFORM + ")");
        String syms = run("nm", "-D", "--defined-only", lib.toString());
        assertTrue(syms.contains("uniffi_paramsecrets_java_fn_method_nativeclient_parameter_value"), "FFI symbols exported");
        assertTrue(run("file", "-L", lib.toString()).contains("stripped") && !run("file", "-L", lib.toString()).contains("not stripped"),
                "the shipped copy is stripped");
    }

    @Test
    void shippedLibraryNeedsAtMostTheGlibcFloorAndIsStripped() throws Exception {
        assertTrue(Files.isRegularFile(SHIPPED), SHIPPED + " (run scripts/build-native.sh)");
        assertLambdaCompatible(SHIPPED);
    }

    @Test
    void libraryIsLoadedFromTheClasspathResource() {
        Client.class.getName();
        String where = System.getProperty(NativeLoader.OVERRIDE_PROPERTY);
        assertNotNull(where);
        assertFalse(Files.exists(Paths.get(where)), "the extracted temp file is deleted once loaded");
        assertNotNull(NativeLoader.class.getResource("/" + PLATFORM + "/libparamsecrets_java.so"));
        assertEquals(PLATFORM, NativeLoader.platform());
    }
}
