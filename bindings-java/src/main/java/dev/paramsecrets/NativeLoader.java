package dev.paramsecrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;

/**
 * Loads the native library shipped inside the jar at {@code /<os>-<arch>/libparamsecrets_java.so}:
 * copies it to a temporary file, {@link System#load}s it and deletes the file (the mapping stays
 * valid on Linux). The same library and the same JNI path serve Java 17, 21 and 25.
 *
 * <p>The temporary file is not made by {@code Files.createTempFile}: that seeds a
 * {@code SecureRandom}, which loads the JDK's security providers and cost ~200 ms of cold start
 * here. The name is the pid and a clock reading instead, created exclusively ({@code O_EXCL},
 * which also refuses a planted symlink) and readable by this user only.
 *
 * <p>{@code -Dparamsecrets.library=/absolute/path/libparamsecrets_java.so} loads that file instead
 * (the property of earlier versions, {@code uniffi.component.paramsecrets_java.libraryOverride}, is
 * still read).
 */
final class NativeLoader {
    static final String OVERRIDE_PROPERTY = "paramsecrets.library";
    static final String LEGACY_OVERRIDE_PROPERTY = "uniffi.component.paramsecrets_java.libraryOverride";
    static final String LIBRARY_FILE = "libparamsecrets_java.so";
    static final String NATIVE_ACCESS_HINT = "start Java with --enable-native-access=ALL-UNNAMED "
            + "(on AWS Lambda: set the environment variable JAVA_TOOL_OPTIONS=--enable-native-access=ALL-UNNAMED)";

    /** Where the library was loaded from (a deleted temp file, or the override), for the tests. */
    private static String loadedFrom;

    private NativeLoader() {}

    /** The resource folder for this platform (e.g. {@code linux-x86-64}). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os.replace(' ', '-');
        String a;
        switch (arch) {
            case "amd64": case "x86_64": a = "x86-64"; break;
            case "aarch64": case "arm64": a = "aarch64"; break;
            default: a = arch;
        }
        return o + "-" + a;
    }

    static synchronized String loadedFrom() {
        return loadedFrom;
    }

    static synchronized void ensureLoaded() {
        if (loadedFrom != null) {
            return;
        }
        String override = System.getProperty(OVERRIDE_PROPERTY, System.getProperty(LEGACY_OVERRIDE_PROPERTY));
        if (override != null) {
            load(override);
            loadedFrom = override;
            return;
        }
        String resource = "/" + platform() + "/" + LIBRARY_FILE;
        Path tmp = null;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("paramsecrets: this jar has no native library for "
                        + platform() + " (looked for " + resource + "); supported: linux-x86-64, linux-aarch64");
            }
            tmp = extract(in);
            load(tmp.toAbsolutePath().toString());
            loadedFrom = tmp.toAbsolutePath().toString();
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

    /** Writes the library in one call (the jar stores it uncompressed: no inflating either). */
    private static Path extract(InputStream in) throws IOException {
        ByteBuffer library = ByteBuffer.wrap(in.readAllBytes());
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("paramsecrets-" + pid + "-" + Long.toHexString(System.nanoTime()) + ".so");
            try (SeekableByteChannel out = Files.newByteChannel(tmp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))) {
                while (library.hasRemaining()) {
                    out.write(library);
                }
                return tmp;
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    private static void load(String path) {
        try {
            System.load(path);
        } catch (IllegalCallerException denied) {
            // Java 24+ with --illegal-native-access=deny: say what to add instead of a bare stack trace.
            throw new UnsatisfiedLinkError("paramsecrets needs native access to load its library on Java "
                    + Runtime.version().feature() + ": " + NATIVE_ACCESS_HINT);
        }
    }
}
