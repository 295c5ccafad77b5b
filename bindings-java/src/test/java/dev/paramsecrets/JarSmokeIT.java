package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, alone in an empty folder, runs a small application against the emulator with
 * no library path and no other dependency (failsafe: runs after `package`).
 */
class JarSmokeIT {
    static final long MAX_JAR_BYTES = 4L * 1024 * 1024;
    static Emulator emu;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    static Path builtJar() {
        Path jar = Paths.get(System.getProperty("paramsecrets.jar", "target/paramsecrets.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " not built");
        return jar;
    }

    static Path jdkTool(String name) {
        return Paths.get(System.getProperty("java.home"), "bin", name);
    }

    record Run(int exit, String output) {}

    static Run run(Path dir, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        for (String k : List.of("PARAMSECRETS_TOKEN", "AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                "JAVA_TOOL_OPTIONS", "LD_LIBRARY_PATH")) {
            pb.environment().remove(k);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Run(p.exitValue(), out);
    }

    static final String MAIN = """
            import dev.paramsecrets.*;
            import java.util.Map;

            public class Main {
                public static void main(String[] args) throws Exception {
                    try (Client client = Client.fromEnv()) {
                        String v = client.getParameter("/app/secure");
                        System.out.println("parameter ok=" + v.equals(args[0]) + " length=" + v.length());
                        System.out.println("hit ok=" + v.equals(client.getParameter("/app/secure")));
                        Map<?, ?> db = (Map<?, ?>) client.getSecretJson("app/db");
                        System.out.println("secret ok=" + db.get("password").equals(args[1]));
                        System.out.println("async ok=" + client.getSecretAsync("app/text").join().equals(args[2]));
                        System.out.println("record " + client.getParameterRecord("/app/secure"));
                        System.out.println("record " + client.getSecretRecord("app/db"));
                        System.out.println("stats " + client.stats());
                        try {
                            client.getParameter("/app/missing");
                        } catch (NotFoundOrDeniedException e) {
                            System.out.println("error " + e);
                        }
                    }
                    System.out.println("done");
                }
            }
            """;

    @Test
    void theJarAloneRunsAnApplication(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(builtJar(), dir.resolve("paramsecrets.jar"));
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Main.java"), MAIN);
        Run javac = run(dir, Map.of(), jdkTool("javac").toString(), "-cp", "paramsecrets.jar", "-d", "classes", "src/Main.java");
        assertEquals(0, javac.exit(), javac.output());
        Run jarTool = run(dir, Map.of(), jdkTool("jar").toString(), "--create", "--file", "app.jar", "-C", "classes", ".");
        assertEquals(0, jarTool.exit(), jarTool.output());

        Map<String, String> env = Map.of(
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(emu.port),
                "AWS_SESSION_TOKEN", Emulator.TOKEN,
                "RUST_LOG", "trace");
        Run app = run(dir, env, jdkTool("java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", "paramsecrets.jar:app.jar", "Main", "secure-value-9c1e", "db-password-41c7", "text-secret-0b9d");
        String out = app.output();
        assertEquals(0, app.exit(), out);
        for (String line : List.of("parameter ok=true", "hit ok=true", "secret ok=true", "async ok=true", "done")) {
            assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
        }
        assertTrue(out.contains("NotFoundOrDeniedException [not_found_or_denied, status 400]"), out);
        assertFalse(out.contains("WARNING"), "no warnings (native access is enabled):\n" + out);
        for (String secret : List.of("secure-value-9c1e", "db-password-41c7", "text-secret-0b9d", Emulator.TOKEN)) {
            assertFalse(out.contains(secret), "leaked " + secret + " in the application's output:\n" + out);
        }
        // Nothing left behind in the temp folder by the loader.
        try (var files = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("paramsecrets-")
                    && f.getFileName().toString().endsWith(".so")), "extracted library left in tmp");
        }
    }

    @Test
    void java17IsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        Path java17 = Paths.get("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        if (!Files.isExecutable(java17)) {
            return; // documented in the README; only checkable where a JDK 17 is installed
        }
        Files.copy(builtJar(), dir.resolve("paramsecrets.jar"));
        Run r = run(dir, Map.of(), java17.toString(), "-cp", "paramsecrets.jar", "dev.paramsecrets.Client");
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("UnsupportedClassVersionError"), r.output());
    }

    @Test
    void theJarIsSmallSelfContainedAndCarriesTheStrippedLibrary(@TempDir Path dir) throws Exception {
        Path jar = builtJar();
        assertTrue(Files.size(jar) <= MAX_JAR_BYTES, "jar is " + Files.size(jar) + " bytes");
        List<String> foreign = new ArrayList<>();
        Path so = dir.resolve("libparamsecrets_java.so");
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jf.entries())) {
                String n = e.getName();
                if (!(e.isDirectory() && "dev/paramsecrets/".startsWith(n)) && !(n.startsWith("META-INF/") || n.startsWith("dev/paramsecrets/")
                        || n.startsWith("linux-x86-64/") || n.startsWith("linux-aarch64/"))) {
                    foreign.add(n);
                }
            }
            // The library for the architecture this runs on (`make arm64` adds linux-aarch64/ beside linux-x86-64/).
            String own = NativeLibraryTest.PLATFORM + "/libparamsecrets_java.so";
            JarEntry lib = jf.getJarEntry(own);
            assertNotNull(lib, "the native library is at /" + own);
            try (InputStream in = jf.getInputStream(lib)) {
                Files.copy(in, so);
            }
            assertEquals("ALL-UNNAMED", jf.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
        }
        assertEquals(List.of(), foreign, "only paramsecrets classes and the native library");
        NativeLibraryTest.assertLambdaCompatible(so);
    }
}
