package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No value or token in toString or exception messages. */
class RedactionTest {
    static Emulator emu;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    static void assertClean(String text, String... secrets) {
        for (String s : secrets) {
            assertFalse(text.contains(s), () -> "leaked " + s + " in: " + text);
        }
    }

    @Test
    void recordsRedactTheirValues() throws Exception {
        try (Client c = emu.client()) {
            Parameter p = c.getParameterRecord("/app/secure");
            Secret s = c.getSecretRecord("app/db");
            Secret b = c.getSecretRecord("app/bin");
            String text = p + " " + s + " " + b + " " + c + " " + c.stats()
                    + " " + c.getParameters(List.of("/app/secure", "/app/missing"))
                    + " " + c.getSecrets(List.of("app/db"));
            assertClean(text, "secure-value-9c1e", "db-password-41c7", Emulator.TOKEN, "[0, 1, 2");
            assertTrue(p.toString().contains("/app/secure") && p.toString().contains("[REDACTED]"), p.toString());
            assertTrue(s.toString().contains("app/db") && s.toString().contains("[REDACTED]"), s.toString());
        }
    }

    @Test
    void builderToStringShowsPortsAbove32767AsGiven() {
        assertTrue(Client.builder().port(40000).toString().contains("port=40000"), Client.builder().port(40000).toString());
        assertTrue(Client.builder().port(65535).toString().contains("port=65535"));
    }

    @Test
    void builderAndExceptionsNeverShowTheToken() throws Exception {
        String token = "builder-token-58ad";
        Client.Builder b = Client.builder().port(emu.port).token(token);
        assertClean(b.toString(), token);
        List<Throwable> errors = new ArrayList<>();
        try (Client bad = b.build()) {
            errors.add(assertThrows(UnauthorizedException.class, () -> bad.getParameter("/app/secure")));
            errors.add(assertThrows(UnauthorizedException.class, () -> bad.getSecret("app/db")));
        }
        errors.add(assertThrows(MissingTokenException.class,
                () -> Client.builder().port(emu.port).token("file:///nonexistent/" + token).build().close()));
        try (Client c = emu.client()) {
            errors.add(assertThrows(ProtocolException.class, () -> c.getSecretJson("app/text")));
            errors.add(assertThrows(NotFoundOrDeniedException.class, () -> c.getParameter("/app/denied")));
            errors.add(assertThrows(InvalidArgumentException.class, () -> c.getSecret("app/bin")));
        }
        for (Throwable t : errors) {
            StringBuilder all = new StringBuilder();
            for (Throwable x = t; x != null; x = x.getCause()) {
                all.append(x).append(' ').append(x.getMessage()).append(' ');
            }
            assertClean(all.toString(), Emulator.TOKEN, "text-secret-0b9d", "secure-value-9c1e", "db-password-41c7");
            // The file-token error may name the path (which contains our marker) but not a token value.
            if (!(t instanceof MissingTokenException)) {
                assertClean(all.toString(), token);
            }
        }
    }
}
