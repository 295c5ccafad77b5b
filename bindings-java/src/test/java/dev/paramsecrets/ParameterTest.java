package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parameters: values, records, options, JSON, batch (translation of core's get_parameter*). */
class ParameterTest {
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
    void prefetchStartsTheReadsTheFirstReadsJoinOrHit() throws Exception {
        client.prefetch(List.of("/app/plain"), List.of("app/text"));
        assertEquals("plain-value-7f3a", client.getParameter("/app/plain"));
        assertEquals("text-secret-0b9d", client.getSecret("app/text"));
        assertEquals(2, client.stats().requests(), client.stats().toString());
        assertThrows(InvalidArgumentException.class, () -> client.prefetch(List.of(""), null));
        assertThrows(InvalidArgumentException.class, () -> client.prefetch(null, Arrays.asList("app/db", null)));
    }

    @Test
    void aBinarySecretThroughParameterStoreIsReadAsBytes() throws Exception {
        String ref = "/aws/reference/secretsmanager/app/bin";
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, client.getParameterBinary(ref));
        var e = assertThrows(InvalidArgumentException.class, () -> client.getParameter(ref));
        assertTrue(e.getMessage().contains("getParameterBinary"), e.getMessage());
        Parameter p = client.getParameterRecord(ref);
        assertNull(p.value());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, p.binary());
        assertTrue(p.toString().contains("binary=[REDACTED]"), p.toString());
        assertEquals("plain-value-7f3a", new String(client.getParameterBinary("/app/plain"), StandardCharsets.UTF_8));
    }

    @Test
    void valueAndRecord() throws Exception {
        assertEquals("plain-value-7f3a", client.getParameter("/app/plain"));
        Parameter p = client.getParameterRecord("/app/versioned");
        assertEquals("/app/versioned", p.name());
        assertEquals("v2", p.value());
        assertEquals("String", p.type());
        assertEquals(2, p.version());
        assertNull(p.selector());
        assertEquals("arn:aws:ssm:us-east-1:123456789012:parameter/app/versioned", p.arn());
        assertEquals("text", p.dataType());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), p.lastModified());
        assertEquals("StringList", client.getParameterRecord("/app/list").type());
    }

    @Test
    void versionLabelAndDecryptOptions() throws Exception {
        Parameter v1 = client.getParameterRecord("/app/versioned", ParameterOptions.defaults().version(1));
        assertEquals("v1", v1.value());
        assertEquals(":1", v1.selector());
        assertEquals(Instant.parse("2024-01-02T03:04:05.678Z"), v1.lastModified());
        assertEquals("v1", client.getParameter("/app/versioned", ParameterOptions.defaults().label("old")));
        assertEquals("v2", client.getParameter("/app/versioned", ParameterOptions.defaults().label("Prod")));
        assertEquals("secure-value-9c1e", client.getParameter("/app/secure"));
        String encrypted = client.getParameter("/app/secure", ParameterOptions.defaults().decrypt(false));
        assertNotEquals("secure-value-9c1e", encrypted);
        assertTrue(encrypted.startsWith("AQICAH"), "the emulator's opaque ciphertext");
        assertThrows(InvalidArgumentException.class,
                () -> client.getParameter("/app/versioned", ParameterOptions.defaults().version(-1)));
    }

    @Test
    void hitsAreServedFromTheCacheAndForceFetchRefetches() throws Exception {
        assertEquals("plain-value-7f3a", client.getParameter("/app/plain"));
        for (int i = 0; i < 50; i++) {
            assertEquals("plain-value-7f3a", client.getParameter("/app/plain"));
        }
        assertEquals(1, emu.requests("parameter:/app/plain"));
        client.getParameter("/app/plain", ParameterOptions.defaults().forceFetch(true));
        assertEquals(2, emu.requests("parameter:/app/plain"));
        client.getParameter("/app/plain", ParameterOptions.defaults().maxAge(Duration.ZERO));
        assertEquals(3, emu.requests("parameter:/app/plain"));
        Stats s = client.stats();
        assertEquals(50, s.hits());
        assertEquals(3, s.misses());
        assertEquals(3, s.requests());
    }

    @Test
    void ttlZeroTurnsTheCacheOff() throws Exception {
        try (Client c = Client.builder().port(emu.port).token(Emulator.TOKEN).ttl(Duration.ZERO).build()) {
            c.getParameter("/app/plain");
            c.getParameter("/app/plain");
            assertEquals(2, emu.requests("parameter:/app/plain"));
        }
    }

    @Test
    void invalidateAndClear() throws Exception {
        client.getParameter("/app/plain");
        client.getParameter("/app/versioned", ParameterOptions.defaults().version(1));
        client.getParameter("/app/versioned");
        assertEquals(2, client.invalidateParameter("/app/versioned"));
        assertEquals(0, client.invalidateParameter("/app/versioned"));
        client.getParameter("/app/versioned");
        assertEquals(3, emu.requests("parameter:/app/versioned"));
        client.clearCache();
        client.getParameter("/app/plain");
        assertEquals(2, emu.requests("parameter:/app/plain"));
        assertEquals(0, client.invalidateParameter(null));
    }

    @Test
    void jsonValuesBecomePlainJava() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) client.getParameterJson("/app/config.json");
        assertEquals(Boolean.TRUE, m.get("debug"));
        assertEquals(3L, m.get("level"));
        assertEquals(0.5, m.get("ratio"));
        assertEquals("x", m.get("name"));
        assertEquals(Arrays.asList("a", null), m.get("tags"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("big"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("k", 1));
        ProtocolException e = assertThrows(ProtocolException.class, () -> client.getParameterJson("/app/not-json"));
        assertFalse(e.getMessage().contains("not-json-value-5d2b"), e.getMessage());
        assertTrue(e.getMessage().contains("/app/not-json"), e.getMessage());
    }

    @Test
    void batchReturnsOneResultPerNameInOrder() throws Exception {
        List<BatchResult<Parameter>> rs = client.getParameters(List.of("/app/plain", "/app/missing", "/app/list"));
        assertEquals(3, rs.size());
        assertEquals("/app/plain", rs.get(0).key());
        assertEquals("plain-value-7f3a", rs.get(0).get().value());
        assertFalse(rs.get(1).isOk());
        assertEquals("/app/missing", rs.get(1).key());
        assertInstanceOf(NotFoundOrDeniedException.class, rs.get(1).error());
        assertThrows(NotFoundOrDeniedException.class, () -> rs.get(1).get());
        assertEquals("a,b,c", rs.get(2).get().value());
        assertEquals(List.of(), client.getParameters(List.of()));
        assertThrows(InvalidArgumentException.class, () -> client.getParameters(Arrays.asList("/app/plain", null)));
    }

    @Test
    void closedClientRefusesReads() throws Exception {
        Client c = emu.client();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.getParameter("/app/plain"));
    }
}
