package dev.paramsecrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the native library shipped inside the jar at {@code /<os>-<arch>/libparamsecrets_java.so}:
 * copies it to a temporary file, points uniffi-bindgen-java's library-override property at it,
 * forces the load, and deletes the file (the mapping stays valid on Linux).
 *
 * <p>If the property is already set (e.g. {@code -Duniffi.component.paramsecrets_java.libraryOverride=/path.so}),
 * that library is used as given.
 */
final class NativeLoader {
    /** The property the generated {@code NamespaceLibrary} reads. */
    static final String OVERRIDE_PROPERTY = "uniffi.component.paramsecrets_java.libraryOverride";
    static final String LIBRARY_FILE = "libparamsecrets_java.so";

    private static boolean loaded;

    private NativeLoader() {}

    /** The resource folder for this platform, in JNA's spelling (e.g. {@code linux-x86-64}). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os.replace(' ', '-');
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return o + "-" + a;
    }

    static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        if (System.getProperty(OVERRIDE_PROPERTY) != null) {
            loaded = true;
            return;
        }
        String resource = "/" + platform() + "/" + LIBRARY_FILE;
        Path tmp = null;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("paramsecrets: this jar has no native library for "
                        + platform() + " (looked for " + resource + "); supported: linux-x86-64, linux-aarch64");
            }
            tmp = Files.createTempFile("paramsecrets-", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.setProperty(OVERRIDE_PROPERTY, tmp.toAbsolutePath().toString());
            // Initialise the generated library class now (it loads the library), so the file can go.
            Class.forName("dev.paramsecrets.ffi.UniffiLib", true, NativeLoader.class.getClassLoader());
            loaded = true;
        } catch (ClassNotFoundException e) {
            throw new UnsatisfiedLinkError("paramsecrets: the generated bindings are missing: " + e.getMessage());
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("paramsecrets: cannot extract " + resource + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    tmp.toFile().deleteOnExit();
                }
            }
        }
    }
}
