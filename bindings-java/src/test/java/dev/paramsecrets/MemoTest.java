package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host-side memo ({@link Memo}) keeps every cache rule core decides: repeated hits are
 * served without a native call, and invalidate, clear, eviction, TTL, maxAge, forceFetch and the
 * stats totals behave exactly as without it.
 */
class MemoTest {
    static Emulator emu;

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
    }

    private static Client client(Client.Builder b) throws ParamSecretsException {
        return b.port(emu.port).token(Emulator.TOKEN).build();
    }

    @Test
    void theHeaderIsReadOnlyToJavaAndItsReadsFollowCore() throws Exception {
        try (Client c = emu.client()) {
            Memo m = c.memo();
            assertNotNull(m);
            ByteBuffer h = m.header();
            assertTrue(h.isReadOnly());
            long g0 = m.generation();
            assertThrows(ReadOnlyBufferException.class, () -> h.putLong(0, g0 + 1));
            assertThrows(ReadOnlyBufferException.class, () -> h.put(8, (byte) 1));
            VarHandle word = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
            assertThrows(ReadOnlyBufferException.class, () -> word.setRelease(h, 0, g0 + 1));
            assertEquals(g0, m.generation(), "no write reached core's header");
            // Core's writes are still seen: a fill and a clear move the generation on.
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            c.clearCache();
            long g1 = m.generation();
            assertNotEquals(g0, g1);
            assertEquals(g1, (long) word.getAcquire(h, 0));
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            assertEquals(2, emu.requests("parameter:/app/plain"), "cleared once, refilled once");
            assertTrue(c.stats().hits() >= 1);
        }
    }

    @Test
    void repeatedHitsAreServedByTheMemoAndCountedAsHits() throws Exception {
        try (Client c = emu.client()) {
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain")); // miss: a request
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain")); // core's hit fills the memo
            assertEquals(0, c.memoHits());
            for (int i = 0; i < 1000; i++) {
                assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            }
            assertEquals(1000, c.memoHits());
            for (int i = 0; i < 3; i++) {
                assertEquals("text-secret-0b9d", c.getSecret("app/text"));
            }
            assertEquals(1001, c.memoHits());
            Stats s = c.stats();
            // core: one hit per key (the fill), the memo the rest
            assertEquals(2 + 1001, s.hits(), s.toString());
            assertEquals(2, s.misses());
            assertEquals(2, s.requests());
            assertEquals(2, emu.requests());
        }
    }

    @Test
    void everyFormAndOptionSetHasItsOwnEntry() throws Exception {
        try (Client c = emu.client()) {
            ParameterOptions v1 = ParameterOptions.defaults().version(1);
            ParameterOptions old = ParameterOptions.defaults().label("old");
            for (int i = 0; i < 3; i++) {
                assertEquals("v2", c.getParameter("/app/versioned"));
                assertEquals("v1", c.getParameter("/app/versioned", v1));
                assertEquals("v1", c.getParameter("/app/versioned", old));
                assertEquals(2, c.getParameterRecord("/app/versioned").version());
                assertEquals(Map.of("username", "admin", "password", "db-password-41c7"), c.getSecretJson("app/db"));
                assertEquals("old-secret", c.getSecret("app/rotated",
                        SecretOptions.defaults().versionStage("AWSPREVIOUS")));
                assertEquals("new-secret", c.getSecret("app/rotated"));
            }
            // The third round comes from the memo, and the second record read of /app/versioned
            // already did: the first round's record read was core's hit on the entry the value
            // read had filled.
            assertEquals(7 + 1, c.memoHits());
            // A read that core refuses (a binary secret as text) is refused every time.
            String ref = "/aws/reference/secretsmanager/app/bin";
            c.getParameterBinary(ref);
            for (int i = 0; i < 3; i++) {
                assertThrows(InvalidArgumentException.class, () -> c.getParameter(ref));
            }
        }
    }

    @Test
    void invalidateAndClearReachTheMemo() throws Exception {
        try (Client c = emu.client()) {
            for (int i = 0; i < 3; i++) {
                c.getParameter("/app/plain");
                c.getSecret("app/text");
            }
            long memo = c.memoHits();
            assertEquals(2, memo);
            assertEquals(1, c.invalidateParameter("/app/plain"));
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            assertEquals(2, emu.requests("parameter:/app/plain"), "read again after invalidate");
            assertEquals(1, c.invalidateSecret("app/text"));
            assertEquals("text-secret-0b9d", c.getSecret("app/text"));
            assertEquals(2, emu.requests("secret:app/text"));
            c.clearCache();
            c.getParameter("/app/plain");
            c.getSecret("app/text");
            assertEquals(3, emu.requests("parameter:/app/plain"), "read again after clearCache");
            assertEquals(3, emu.requests("secret:app/text"));
            assertEquals(memo, c.memoHits());
        }
    }

    @Test
    void evictionAtCapacityCountsMemoReadsAsRecentAndDropsTheEvicted() throws Exception {
        try (Client c = client(Client.builder().cacheSize(2))) {
            c.getParameter("/app/plain");
            c.getParameter("/app/plain"); // fills the memo
            c.getParameter("/app/list");
            c.getParameter("/app/list"); // core's LRU: /app/plain is now the cold end
            for (int i = 0; i < 10; i++) {
                c.getParameter("/app/plain"); // from the memo only
            }
            assertEquals(10, c.memoHits());
            c.getParameter("/app/secure"); // full: evicts the entry nobody read since
            assertEquals(1, c.stats().evictions());
            c.getParameter("/app/plain");
            assertEquals(1, emu.requests("parameter:/app/plain"), "the memo-read key stayed cached");
            assertEquals("a,b,c", c.getParameter("/app/list"));
            assertEquals(2, emu.requests("parameter:/app/list"), "the evicted key is not served from the memo");
        }
    }

    @Test
    void ttlExpiryEndsMemoHits() throws Exception {
        try (Client c = client(Client.builder().ttl(Duration.ofMillis(300)))) {
            c.getParameter("/app/plain");
            c.getParameter("/app/plain");
            c.getParameter("/app/plain");
            assertEquals(1, c.memoHits());
            Thread.sleep(400);
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            assertEquals(2, emu.requests("parameter:/app/plain"), "expired: read again");
            assertEquals(1, c.memoHits());
        }
    }

    @Test
    void maxAgeAndForceFetchAreCoresRules() throws Exception {
        try (Client c = emu.client()) {
            c.getParameter("/app/plain");
            c.getParameter("/app/plain");
            Thread.sleep(50);
            c.getParameter("/app/plain", ParameterOptions.defaults().maxAge(Duration.ofHours(1)));
            assertEquals(1, c.memoHits(), "a generous maxAge is served from the memo");
            c.getParameter("/app/plain", ParameterOptions.defaults().maxAge(Duration.ofMillis(10)));
            assertEquals(2, emu.requests("parameter:/app/plain"), "older than maxAge: read again");
            c.getParameter("/app/plain", ParameterOptions.defaults().maxAge(Duration.ZERO));
            assertEquals(3, emu.requests("parameter:/app/plain"), "maxAge zero: read again");
            long memo = c.memoHits();
            c.getParameter("/app/plain");
            c.getParameter("/app/plain", ParameterOptions.defaults().forceFetch(true));
            assertEquals(4, emu.requests("parameter:/app/plain"), "forceFetch is never served from the memo");
            // The forceFetch refilled core's entry: the memo's copy is of another generation.
            c.getParameter("/app/plain");
            assertEquals(memo, c.memoHits(), "the read after a refill goes to core");
            c.getSecret("app/text");
            c.getSecret("app/text");
            c.getSecret("app/text", SecretOptions.defaults().forceFetch(true));
            assertEquals(2, emu.requests("secret:app/text"));
            // maxAge(ZERO) refilled the entry (a new generation), so the plain read after it was
            // core's hit, and forceFetch never counts as one from the memo.
            assertEquals(memo, c.memoHits());
            assertThrows(InvalidArgumentException.class,
                    () -> c.getParameter("/app/plain", ParameterOptions.defaults().maxAge(Duration.ofMillis(-1))));
        }
    }

    @Test
    void mutableValuesAreCopiesEveryTime() throws Exception {
        try (Client c = emu.client()) {
            for (int i = 0; i < 2; i++) {
                c.getSecretBinary("app/bin");
                c.getParameterRecord("/aws/reference/secretsmanager/app/bin");
            }
            byte[] first = c.getSecretBinary("app/bin");
            first[0] = 42;
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, c.getSecretBinary("app/bin"));
            Parameter p = c.getParameterRecord("/aws/reference/secretsmanager/app/bin");
            p.binary()[0] = 42;
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff},
                    c.getParameterRecord("/aws/reference/secretsmanager/app/bin").binary());
            assertEquals(4, c.memoHits());
        }
    }

    @Test
    void aClosedClientServesNothingAndACacheOffHasNoMemo() throws Exception {
        Client c = emu.client();
        c.getParameter("/app/plain");
        c.getParameter("/app/plain");
        c.close();
        assertThrows(IllegalStateException.class, () -> c.getParameter("/app/plain"));
        assertThrows(IllegalStateException.class, () -> c.getParameterAsync("/app/plain"));
        try (Client off = client(Client.builder().cacheSize(0))) {
            for (int i = 0; i < 3; i++) {
                off.getParameter("/app/plain");
            }
            assertEquals(0, off.memoHits());
            assertEquals(4, emu.requests("parameter:/app/plain"));
        }
    }

    @Test
    void asyncHitsComeFromTheMemoToo() throws Exception {
        try (Client c = emu.client()) {
            c.getParameterRecord("/app/plain");
            c.getParameterRecord("/app/plain");
            c.getSecret("app/text");
            c.getSecret("app/text");
            assertEquals("plain-value-7f3a", c.getParameterAsync("/app/plain").get(5, TimeUnit.SECONDS));
            assertEquals("text-secret-0b9d", c.getSecretAsync("app/text").get(5, TimeUnit.SECONDS));
            assertEquals(2, c.memoHits());
        }
    }

    @Test
    void statsTotalsAreExactUnderConcurrentReads() throws Exception {
        try (Client c = emu.client()) {
            int threads = 16, reads = 5_000;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = t % 2 == 0 ? "/app/plain" : "/app/list";
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < reads; i++) {
                        c.getParameter(name);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Stats s = c.stats();
            assertEquals((long) threads * reads, s.hits() + s.misses(), s.toString());
            assertEquals(2, s.requests());
            assertTrue(c.memoHits() > 0);
        }
    }

    /**
     * 64 threads read one parameter while another thread changes its value upstream and then
     * invalidates it: no read that starts after an invalidation returned gets a value from
     * before it (each read notes how many invalidations had returned before it started).
     */
    @Test
    void noReadAfterAnInvalidationReturnsTheValueItDropped() throws Exception {
        Path store = Files.createTempFile("paramsecrets-memo-", ".json");
        writeStore(store, 0);
        // The emulator's own cache off, so each upstream read sees the store as it is now.
        try (Emulator rotating = Emulator.start(store, "extension", Emulator.TOKEN, List.of(),
                Map.of("SSM_PARAMETER_STORE_TTL", "0"));
             Client c = Client.builder().port(rotating.port).token(Emulator.TOKEN).build()) {
            AtomicInteger invalidated = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch started = new CountDownLatch(64);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                fs.add(pool.submit(() -> {
                    started.countDown();
                    while (!done.get()) {
                        int floor = invalidated.get();
                        int seen = Integer.parseInt(c.getParameter("/rotating").substring(1));
                        reads.incrementAndGet();
                        if (seen < floor && violations.size() < 5) {
                            violations.add("read v" + seen + " after invalidation " + floor + " returned");
                        }
                    }
                    return null;
                }));
            }
            started.await();
            int rounds = 30;
            for (int i = 1; i <= rounds; i++) {
                writeStore(store, i);
                new ProcessBuilder("kill", "-HUP", Long.toString(rotating.process.pid())).start().waitFor();
                awaitUpstream(rotating, "v" + i);
                Thread.sleep(5); // let the readers fill the memo with v(i-1)
                c.invalidateParameter("/rotating");
                invalidated.set(i);
            }
            Thread.sleep(20);
            done.set(true);
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(List.of(), violations);
            assertTrue(c.memoHits() > 0, "the memo served reads: " + c.memoHits() + " of " + reads.get());
            Stats s = c.stats();
            assertEquals(reads.get(), s.hits() + s.misses(), s.toString());
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static void writeStore(Path store, int version) throws IOException {
        Path tmp = Files.createTempFile(store.getParent(), "store-", ".json");
        Files.writeString(tmp, "{\"parameters\": [{\"name\": \"/rotating\", \"value\": \"v" + version + "\"}]}");
        Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Waits until the emulator itself answers with {@code value} (the reload is done). */
    private static void awaitUpstream(Emulator e, String value) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(e.endpoint() + "/systemsmanager/parameters/get?name=/rotating"))
                .header("X-Aws-Parameters-Secrets-Token", Emulator.TOKEN).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String body = HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"Value\":\"" + value + "\"")) {
                return;
            }
            Thread.sleep(1);
        }
        fail("the emulator did not reload the store to " + value);
    }
}
