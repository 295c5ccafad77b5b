package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets: string, binary, record, JSON, selectors, batch. */
class SecretTest {
    static Emulator emu;
    Client client;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        emu.reset();
        client = emu.client();
    }

    @Test
    void stringBinaryAndRecord() throws Exception {
        assertEquals("text-secret-0b9d", client.getSecret("app/text"));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, client.getSecretBinary("app/bin"));
        assertArrayEquals("text-secret-0b9d".getBytes(StandardCharsets.UTF_8), client.getSecretBinary("app/text"));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> client.getSecret("app/bin"));
        assertTrue(e.getMessage().contains("getSecretBinary"), e.getMessage());

        Secret s = client.getSecretRecord("app/rotated");
        assertEquals("app/rotated", s.name());
        assertEquals("new-secret", s.string());
        assertNull(s.binary());
        assertFalse(s.isBinary());
        assertEquals("22222222-2222-2222-2222-222222222222", s.versionId());
        assertEquals(List.of("AWSCURRENT"), s.versionStages());
        assertTrue(s.arn().startsWith("arn:aws:secretsmanager:"), s.arn());
        Secret b = client.getSecretRecord("app/bin");
        assertTrue(b.isBinary());
        assertNull(b.string());
    }

    @Test
    void selectors() throws Exception {
        assertEquals("old-secret", client.getSecret("app/rotated", SecretOptions.defaults().versionStage("AWSPREVIOUS")));
        Secret old = client.getSecretRecord("app/rotated",
                SecretOptions.defaults().versionId("11111111-1111-1111-1111-111111111111"));
        assertEquals("old-secret", old.string());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), old.createdDate());
        assertThrows(NotFoundOrDeniedException.class,
                () -> client.getSecret("app/rotated", SecretOptions.defaults().versionStage("NOPE")));
    }

    @Test
    void json() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> db = (Map<String, Object>) client.getSecretJson("app/db");
        assertEquals(Map.of("username", "admin", "password", "db-password-41c7"), db);
        ProtocolException e = assertThrows(ProtocolException.class, () -> client.getSecretJson("app/text"));
        assertFalse(e.getMessage().contains("text-secret-0b9d"), e.getMessage());
    }

    @Test
    void cacheHitsAndInvalidate() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.getSecret("app/text");
        }
        assertEquals(1, emu.requests("secret:app/text"));
        assertEquals(1, client.invalidateSecret("app/text"));
        client.getSecret("app/text");
        client.getSecret("app/text", SecretOptions.defaults().forceFetch(true));
        assertEquals(3, emu.requests("secret:app/text"));
    }

    @Test
    void batch() throws Exception {
        List<BatchResult<Secret>> rs = client.getSecrets(List.of("app/text", "app/nope", "app/bin"));
        assertEquals("text-secret-0b9d", rs.get(0).get().string());
        assertInstanceOf(NotFoundOrDeniedException.class, rs.get(1).error());
        assertTrue(rs.get(2).get().isBinary());
    }
}
