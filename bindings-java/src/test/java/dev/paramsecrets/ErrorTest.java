package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every core error code maps 1:1 to its exception class; fields and causes carry over. */
class ErrorTest {
    static Emulator emu;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    static final Map<String, Class<? extends ParamSecretsException>> EXPECTED = new LinkedHashMap<>();
    static {
        EXPECTED.put("invalid_argument", InvalidArgumentException.class);
        EXPECTED.put("missing_token", MissingTokenException.class);
        EXPECTED.put("unauthorized", UnauthorizedException.class);
        EXPECTED.put("not_found", NotFoundException.class);
        EXPECTED.put("not_found_or_denied", NotFoundOrDeniedException.class);
        EXPECTED.put("access_denied", AccessDeniedException.class);
        EXPECTED.put("not_ready", NotReadyException.class);
        EXPECTED.put("unavailable", UnavailableException.class);
        EXPECTED.put("throttled", ThrottledException.class);
        EXPECTED.put("timeout", TimeoutException.class);
        EXPECTED.put("upstream", UpstreamException.class);
        EXPECTED.put("protocol", ProtocolException.class);
        EXPECTED.put("internal", InternalException.class);
    }

    @Test
    void everyCoreCodeHasItsOwnSubclass() {
        Client.class.getName(); // loads the native library
        List<String> codes = List.of(NativeBridge.errorCodes());
        assertEquals(List.copyOf(EXPECTED.keySet()), codes, "core's ErrorCode::ALL vs the Java hierarchy");
        assertEquals(EXPECTED.size(), ParamSecretsException.class.getPermittedSubclasses().length);
        for (String code : codes) {
            ParamSecretsException e = NativeBridge.errorForCode(code);
            assertEquals(EXPECTED.get(code), e.getClass(), code);
            assertEquals(code, e.code());
            assertTrue(e.status().isEmpty());
            assertTrue(e.getMessage().contains(code), e.getMessage());
        }
    }

    @Test
    void aPanicBecomesAnInternalException() {
        Client.class.getName();
        var t = assertThrows(InternalException.class, NativeBridge::panicForTest);
        assertEquals("internal", t.code());
        assertTrue(t.getMessage().contains("panicked"), t.getMessage());
    }

    @Test
    void statusAndAttemptsFromAnHttpError() throws Exception {
        try (Client c = emu.client()) {
            NotFoundOrDeniedException e = assertThrows(NotFoundOrDeniedException.class, () -> c.getParameter("/app/missing"));
            assertEquals(400, e.status().orElseThrow());
            assertEquals(1, e.attempts());
            assertTrue(e.getMessage().contains("/app/missing"), e.getMessage());
            assertTrue(e.toString().contains("not_found_or_denied"), e.toString());
            assertInstanceOf(ParamSecretsException.class, e);
            assertInstanceOf(Exception.class, e);
        }
    }

    @Test
    void wrongTokenIsUnauthorized() throws Exception {
        try (Client c = Client.builder().port(emu.port).token("wrong-token-3b8a").build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> c.getSecret("app/text"));
            assertEquals(401, e.status().orElseThrow());
            assertFalse(e.getMessage().contains("wrong-token-3b8a"));
        }
    }

    @Test
    void nothingListeningIsUnavailableWithACause() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (Client c = Client.builder().port(closed).token("t").readyTimeout(Duration.ofMillis(100)).build()) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> c.getParameter("/app/plain"));
            assertTrue(e.attempts() >= 1);
            assertTrue(e.status().isEmpty());
        }
    }

    @Test
    void builderSettingsAreChecked() {
        assertThrows(InvalidArgumentException.class, () -> Client.builder().port(70000).token("t").build());
        assertThrows(InvalidArgumentException.class, () -> Client.builder().port(0).token("t").build());
        assertThrows(InvalidArgumentException.class, () -> Client.builder().token("t").ttl(Duration.ofSeconds(-1)).build());
        assertThrows(InvalidArgumentException.class, () -> Client.builder().token("t").cacheSize(-1).build());
        assertThrows(InvalidArgumentException.class, () -> Client.builder().token("t").deadline(Duration.ofSeconds(-1)).build());
        assertThrows(InvalidArgumentException.class, () -> Client.builder().token("t").server("bogus").build());
        assertThrows(InvalidArgumentException.class,
                () -> Client.builder().token("t").endpoint("http://10.0.0.1:2773").build());
        assertThrows(MissingTokenException.class,
                () -> Client.builder().port(1).token("file:///nonexistent/paramsecrets-token").build());
    }

    @Test
    void agentDialectErrors() throws Exception {
        try (Emulator agent = Emulator.start(Emulator.testStore(), "agent", Emulator.TOKEN, List.of(), Map.of());
             Client c = Client.builder().port(agent.port).token(Emulator.TOKEN).build()) {
            assertThrows(NotFoundException.class, () -> c.getSecret("app/nope"));
            UnauthorizedException u;
            try (Client bad = Client.builder().port(agent.port).token("nope").build()) {
                u = assertThrows(UnauthorizedException.class, () -> bad.getSecret("app/text"));
            }
            assertEquals(403, u.status().orElseThrow());
        }
    }
}
