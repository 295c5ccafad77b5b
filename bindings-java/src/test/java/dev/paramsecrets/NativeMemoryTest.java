package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory}: native memory is freed once its owner is unreachable, and paramsecrets
 * starts no thread of its own in the JVM for it (core's one worker is the only thread it adds).
 */
class NativeMemoryTest {
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
    void memoryOfAnUnreachableOwnerIsFreedAtTheNextRegistration() throws InterruptedException {
        AtomicInteger freed = new AtomicInteger();
        Object owner = new Object();
        NativeMemory.register(owner, freed::incrementAndGet);
        owner = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (freed.get() == 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
            NativeMemory.register(new Object[0], () -> { });
        }
        assertEquals(1, freed.get(), "the unreachable owner's memory was freed once");
        assertNull(owner);
    }

    @Test
    void aReachableOwnerKeepsItsMemory() throws InterruptedException {
        AtomicInteger freed = new AtomicInteger();
        Object owner = new Object();
        NativeMemory.register(owner, freed::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(10);
            NativeMemory.drain();
        }
        assertEquals(0, freed.get());
        assertNotNull(owner);
    }

    @Test
    void droppedClientsAreFreedAsNewOnesAreBuilt() throws Exception {
        for (int i = 0; i < 50; i++) {
            Client c = Client.builder().port(emu.port).token(Emulator.TOKEN).build();
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        int pending = Integer.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
            try (Client c = Client.builder().port(emu.port).token(Emulator.TOKEN).build()) {
                pending = NativeMemory.pending();
            }
            // The client just built (and its memo's buffer) are still reachable until here.
            if (pending <= 4) {
                break;
            }
        }
        assertTrue(pending <= 4, "50 dropped clients (with their memo buffers) freed; pending: " + pending);
    }

    @Test
    void noThreadOfItsOwnBesideCoresWorker() throws Exception {
        try (Client c = Client.builder().port(emu.port).token(Emulator.TOKEN).build()) {
            assertEquals("plain-value-7f3a", c.getParameter("/app/plain"));
            c.prefetch(List.of("/app/secure"), List.of());
            List<String> cleaners = threadNames().stream()
                    .filter(n -> n.matches("Cleaner-\\d+"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), cleaners, "threads started by java.lang.ref.Cleaner.create()");
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
