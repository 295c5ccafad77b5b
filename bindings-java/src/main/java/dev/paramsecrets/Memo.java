package dev.paramsecrets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The host-side memo of core's cache answers: a repeated read is answered here, in Java, with a
 * map lookup, a clock comparison and a generation comparison, because one JNI call costs more
 * than all of that. Core stays the one place that decides; the memo only repeats an answer core
 * gave while core would still give the same one (the rules are core's, in
 * {@code core/src/cache.rs}; the Node binding's {@code lib/memo.js} does the same in JavaScript):
 *
 * <ul>
 * <li><b>Filled only from core's hits.</b> Every entry is a value core answered from its cache,
 *     with core's ticket (generation, touch slot, age, the kind's TTL). Not a miss, not a
 *     {@code forceFetch} read (never served from here either), not a batch.
 * <li><b>Dropped in core means dropped here.</b> Core bumps one generation in shared memory (a
 *     direct buffer over core's header) under its cache lock on every invalidate, clear, refill
 *     and eviction, and reads it under the same lock for each ticket. An entry is served only
 *     while that counter still reads the entry's generation, read with acquire semantics: a
 *     read that starts after {@code invalidate*} or {@code clearCache} returned sees the bump and
 *     goes to core. Stale entries are forgotten at the next native call that could move the
 *     counter (a miss, {@code invalidate*}, {@code clearCache}), and an entry filled with a
 *     ticket the counter has already passed removes itself, so no value stays here after core
 *     let it go.
 * <li><b>Freshness in this process's monotonic clock.</b> {@code System.nanoTime()} is read
 *     <i>before</i> the native call and core's age subtracted from it, so the memo's fetched-at
 *     is no later than core's and every age it computes is at least the real one: it can stop
 *     serving early, never late. Without {@code maxAge}: fresh while {@code age < ttl}; with
 *     {@code maxAge}: while {@code age < maxAge}, as core decides.
 * <li><b>LRU recency.</b> A memo hit writes 1 into its entry's touch byte; core gives flagged
 *     entries a second chance before evicting, so a key read only from here is not evicted as
 *     cold.
 * <li><b>Stats.</b> Core never sees memo hits; the memo counts them and {@link Client#stats()}
 *     adds them to core's hits, so the totals are exact.
 * <li><b>Values.</b> Strings are immutable and handed out as they are; byte arrays (and records
 *     holding one) are copied on every read, exactly what a fresh conversion would give. JSON is
 *     kept in its encoded form and decoded anew by the caller on every read.
 * </ul>
 *
 * <p>Thread-safe. Belongs to one {@link Client} and goes with it.
 */
final class Memo {
    /** Where a read's entries live: one slot per output form. */
    static final int P_VALUE = 0, P_RECORD = 1, P_JSON = 2, P_BINARY = 3;
    static final int S_STRING = 4, S_RECORD = 5, S_JSON = 6, S_BINARY = 7;
    private static final int FORMS = 8;

    /**
     * Core's generation word, read as a {@code long} of the header with acquire semantics: an
     * access of its own (not a plain load plus a fence), so the JVM orders every later read after
     * it and cannot split or cache it.
     */
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** One repeated answer. */
    static final class Entry {
        final Object value;
        final long generation;
        final int slot;
        final long fetched;
        final long ttl;

        Entry(Object value, long generation, int slot, long fetched, long ttl) {
            this.value = value;
            this.generation = generation;
            this.slot = slot;
            this.fetched = fetched;
            this.ttl = ttl;
        }
    }

    private final ByteBuffer header;
    private final ByteBuffer touch;
    /** Reads without options (the common case), by name: no key to build. */
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, Entry>[] plain = new ConcurrentHashMap[FORMS];
    /** Reads with a version, label, stage or {@code decrypt(false)}, by {@link #key}. */
    private final ConcurrentHashMap<String, Entry> keyed = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private volatile long seen;

    private Memo(ByteBuffer header, ByteBuffer touch) {
        this.header = header;
        this.touch = touch;
        for (int i = 0; i < FORMS; i++) {
            plain[i] = new ConcurrentHashMap<>();
        }
        this.seen = generation();
    }

    /** The memo of the native client {@code handle}, or {@code null} when its cache is off. */
    static Memo of(long handle) throws ParamSecretsException {
        ByteBuffer header = buffer(handle, false);
        if (header == null) {
            return null;
        }
        return new Memo(header, buffer(handle, true));
    }

    /** A buffer over core's memory that keeps it alive until the buffer itself is unreachable. */
    private static ByteBuffer buffer(long handle, boolean touch) throws ParamSecretsException {
        long memo = NativeBridge.memoRetain(handle);
        if (memo == 0) {
            return null;
        }
        ByteBuffer b;
        try {
            b = NativeBridge.memoBuffer(memo, touch);
            // Core alone writes the header: Java gets a read-only view (a write throws
            // ReadOnlyBufferException). The touch flags are Java's to set.
            if (!touch) {
                b = b.asReadOnlyBuffer();
            }
        } catch (ParamSecretsException | RuntimeException e) {
            NativeBridge.memoRelease(memo);
            throw e;
        }
        // The buffer Memo keeps (the view, which references the native one), not its holder:
        // direct-buffer accesses keep their own buffer reachable, so no access can outlive the
        // memory.
        NativeMemory.register(b, () -> NativeBridge.memoRelease(memo));
        return b;
    }

    /** Core's generation, read with acquire semantics ({@link VarHandle#getAcquire}). */
    long generation() {
        return (long) WORD.getAcquire(header, 0);
    }

    /** The read-only view of core's header (for the tests). */
    ByteBuffer header() {
        return header;
    }

    /** The map for a read in {@code form}: {@link #plain} (keyed by name) or {@link #keyed}. */
    ConcurrentHashMap<String, Entry> map(int form, boolean plainRead) {
        return plainRead ? plain[form] : keyed;
    }

    /**
     * The value for this read if core would answer it with the same one now ({@code maxAge}
     * -1: the kind's TTL), counting the hit and touching the entry; else {@code null}: ask core.
     */
    Object get(ConcurrentHashMap<String, Entry> map, String key, long maxAgeNanos) {
        Entry e = map.get(key);
        if (e == null || e.generation != generation()) {
            return null;
        }
        long age = System.nanoTime() - e.fetched;
        if (!(age < (maxAgeNanos < 0 ? e.ttl : maxAgeNanos))) {
            return null;
        }
        // Read first: a hot key's byte is already set, and a store from every thread on every
        // hit would bounce its cache line between cores.
        if (touch.get(e.slot) == 0) {
            touch.put(e.slot, (byte) 1);
        }
        hits.increment();
        return out(e.value);
    }

    /**
     * Keeps what core answered with {@code ticket} (if it came with one) under {@code key};
     * {@code t0} is the clock read before the call. Returns the value for this read.
     */
    Object remember(ConcurrentHashMap<String, Entry> map, String key, Object value, long[] ticket, long t0) {
        if (ticket[1] < 0) {
            // core missed: the request it made may have evicted or refilled something
            sync();
            return value;
        }
        Object kept = value instanceof byte[] || value instanceof Parameter || value instanceof Secret
                ? out(value) : value;
        Entry e = new Entry(kept, ticket[0], (int) ticket[1], t0 - ticket[2], ticket[3]);
        map.put(key, e);
        // A ticket the counter has already passed: its value may be gone from core.
        if (generation() != e.generation) {
            map.remove(key, e);
            sync();
        }
        return value;
    }

    /** Forgets every entry core may have dropped (after a miss, invalidate or clear). */
    void sync() {
        long g = generation();
        if (g == seen) {
            return;
        }
        seen = g;
        for (ConcurrentHashMap<String, Entry> m : plain) {
            m.values().removeIf(e -> e.generation != g);
        }
        keyed.values().removeIf(e -> e.generation != g);
    }

    /** Forgets everything (the client is closing). */
    void clear() {
        for (ConcurrentHashMap<String, Entry> m : plain) {
            m.clear();
        }
        keyed.clear();
    }

    long hits() {
        return hits.sum();
    }

    /** A value to hand out: a copy of anything the caller could change. */
    private static Object out(Object v) {
        if (v instanceof byte[]) {
            return ((byte[]) v).clone();
        }
        if (v instanceof Parameter) {
            Parameter p = (Parameter) v;
            return p.binary() == null ? p : new Parameter(p.name(), p.value(), p.type(), p.version(), p.arn(),
                    p.lastModified(), p.dataType(), p.selector(), p.binary().clone());
        }
        if (v instanceof Secret) {
            Secret s = (Secret) v;
            return s.binary() == null ? s : new Secret(s.name(), s.arn(), s.versionId(), s.versionStages(),
                    s.createdDate(), s.string(), s.binary().clone());
        }
        return v;
    }

    // ---- keys: one per distinct request and output form ----------------------------------
    // Every part is one character from a fixed set or length-prefixed, so no two requests
    // share a key.

    /** Whether a parameter read is {@link #plain}: latest version, no label, decrypted. */
    static boolean isPlain(ParameterOptions o) {
        return o.decrypt() && o.version() == null && o.label() == null;
    }

    static boolean isPlain(SecretOptions o) {
        return o.versionId() == null && o.versionStage() == null;
    }

    static String key(int form, String name, ParameterOptions o) {
        return form + (o.decrypt() ? "d" : "n") + (o.version() == null ? "" : o.version()) + "." + part(o.label())
                + name;
    }

    static String key(int form, String secretId, SecretOptions o) {
        return form + part(o.versionId()) + part(o.versionStage()) + secretId;
    }

    private static String part(String s) {
        return s == null ? "-" : s.length() + ":" + s;
    }
}
