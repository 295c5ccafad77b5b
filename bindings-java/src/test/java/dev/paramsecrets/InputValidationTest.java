package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad names never reach the extension: InvalidArgumentException before any request. */
class InputValidationTest {
    static Emulator emu;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    static final String BIG = "/" + "x".repeat(4096);
    static final List<String> BAD = new ArrayList<>();
    static {
        BAD.add(null);
        BAD.add("");
        BAD.add(BIG);
        BAD.add("/app/a\nb");
        BAD.add("/app/\u0000");
        BAD.add("/app/\u007f");
        BAD.add("\t");
    }

    @Test
    void badNamesFailBeforeAnyRequest() throws Exception {
        emu.reset();
        try (Client c = emu.client()) {
            for (String bad : BAD) {
                List<Executable> calls = List.of(
                        () -> c.getParameter(bad),
                        () -> c.getParameter(bad, ParameterOptions.defaults()),
                        () -> c.getParameterRecord(bad),
                        () -> c.getParameterJson(bad),
                        () -> c.getSecret(bad),
                        () -> c.getSecret(bad, SecretOptions.defaults()),
                        () -> c.getSecretBinary(bad),
                        () -> c.getSecretRecord(bad),
                        () -> c.getSecretJson(bad),
                        () -> c.getSecret("app/text", SecretOptions.defaults().versionStage(bad == null ? "" : bad)),
                        () -> c.getParameter("/app/versioned", ParameterOptions.defaults().label(bad == null ? "" : bad)));
                for (Executable call : calls) {
                    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call, String.valueOf(bad));
                    assertEquals("invalid_argument", e.code());
                    assertEquals(0, e.attempts());
                }
                for (var f : List.of(c.getParameterAsync(bad), c.getSecretAsync(bad), c.getSecretRecordAsync(bad),
                        c.getParameterRecordAsync(bad), c.getSecretJsonAsync(bad), c.getSecretBinaryAsync(bad))) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                    assertInstanceOf(InvalidArgumentException.class, e.getCause(), String.valueOf(bad));
                }
                var batch = c.getParameters(bad == null ? List.of("/app/x", "") : List.of(bad));
                assertInstanceOf(InvalidArgumentException.class, batch.get(batch.size() - 1).error());
            }
            assertThrows(InvalidArgumentException.class, () -> c.getParameters(null));
            assertThrows(InvalidArgumentException.class, () -> c.getSecrets(null));
            // Only the batch's valid "/app/x" was sent.
            assertEquals(1, emu.requests());
        }
    }

    @Test
    void aNameAtTheLimitIsSent() throws Exception {
        emu.reset();
        try (Client c = emu.client()) {
            String atLimit = "/" + "y".repeat(2047);
            assertThrows(NotFoundOrDeniedException.class, () -> c.getParameter(atLimit));
            assertEquals(1, emu.requests());
        }
    }
}
