package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blocking reads from many threads share one request per key (core's single-flight). */
class ConcurrencyTest {
    static Emulator emu;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    @Test
    void sixtyFourThreadsReadingOneColdKeySendOneRequest() throws Exception {
        emu.reset();
        try (Client client = emu.client()) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return client.getParameter("/app/slow");
                }));
            }
            start.countDown();
            for (Future<String> f : fs) {
                assertEquals("slow-value", f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals(1, emu.requests("parameter:/app/slow"));
            assertEquals(1, emu.requests());
            Stats s = client.stats();
            assertEquals(1, s.requests());
            assertEquals(64, s.hits() + s.misses());
        }
    }

    @Test
    void manyThreadsHittingTheCacheAgree() throws Exception {
        emu.reset();
        try (Client client = emu.client()) {
            client.getParameter("/app/cold");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                fs.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 2000; i++) {
                        if ("cold-value".equals(client.getParameter("/app/cold"))) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : fs) {
                assertEquals(2000, f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals(1, emu.requests("parameter:/app/cold"));
        }
    }
}
