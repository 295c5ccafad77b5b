package dev.paramsecrets;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frees native memory (a client, a memo's view of core's memory) once its Java owner is
 * unreachable, without a thread of its own. A {@link java.lang.ref.Cleaner} starts a thread per
 * cleaner, and two of them made paramsecrets add three threads to a process where the budget is
 * one (core's worker): bench/footprint. Instead, the owners' phantom references are collected
 * here and freed whenever native memory is registered (a client or a memo is built) or a client
 * is closed: a process that keeps building clients frees the dropped ones as it goes, and one
 * that keeps a client for its life, as a Lambda function does, has nothing to free.
 */
final class NativeMemory {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /** The references themselves, reachable until their memory is freed. */
    private static final Set<Owned> LIVE = ConcurrentHashMap.newKeySet();

    private NativeMemory() {}

    private static final class Owned extends PhantomReference<Object> {
        private final Runnable free;

        Owned(Object owner, Runnable free) {
            super(owner, QUEUE);
            this.free = free;
        }
    }

    /** Runs {@code free} once {@code owner} is unreachable (at a later call here). */
    static void register(Object owner, Runnable free) {
        drain();
        LIVE.add(new Owned(owner, free));
    }

    /** Frees the memory of every owner the garbage collector found unreachable since the last call. */
    static void drain() {
        for (Object r; (r = QUEUE.poll()) != null; ) {
            Owned o = (Owned) r;
            if (LIVE.remove(o)) {
                o.free.run();
            }
        }
    }

    /** How many registrations are waiting for their owner to go, for the tests. */
    static int pending() {
        return LIVE.size();
    }
}
