package dev.paramsecrets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The JNI boundary: the native methods of {@code libparamsecrets_java.so} (bindings-java/src,
 * Rust) and the static factories the library calls back to build facade objects. Nothing else in
 * the package talks to native code.
 *
 * <p>Conventions: a {@code null} future reads on the calling thread and returns the value; a
 * future makes the read asynchronous (it returns {@code null} at once and the library completes
 * the future from its runtime thread). Durations cross as nanoseconds, -1 meaning "not set";
 * failures are thrown (or completed) as {@link ParamSecretsException} subclasses built by
 * {@link #error}.
 */
final class NativeBridge {
    private NativeBridge() {}

    /**
     * Parameter read kinds (the Rust {@code ParameterKind}). {@code PEEK}: the cached record or
     * {@code null}, never a request (sync only).
     */
    static final int PARAM_VALUE = 0, PARAM_RECORD = 1, PARAM_JSON = 2, PARAM_PEEK = 3, PARAM_BINARY = 4;
    /** Secret read kinds (the Rust {@code SecretKind}); {@code PEEK} as for parameters. */
    static final int SECRET_STRING = 0, SECRET_BINARY = 1, SECRET_RECORD = 2, SECRET_JSON = 3, SECRET_PEEK = 4;

    // ---- native methods (bindings-java/src/client.rs, lib.rs) ------------------------------

    static native long fromEnv() throws ParamSecretsException;

    static native long withOptions(String endpoint, int port, String token, long ttl, long parameterTtl,
            long secretTtl, long cacheSize, long timeout, long deadline, long readyTimeout, long staleIfError,
            String server, boolean allowNonLoopback) throws ParamSecretsException;

    static native void free(long handle);

    /**
     * A parameter read. With a {@code ticket} (a {@code long[4]} whose slot, index 1, is -1, and
     * no future) a cache hit also writes core's memo ticket into it: generation, slot, age and
     * TTL in nanoseconds ({@link Memo}).
     */
    static native Object readParameter(long handle, int kind, String name, boolean decrypt, boolean hasVersion,
            long version, String label, long maxAgeNanos, boolean forceFetch, long[] ticket,
            CompletableFuture<Object> future) throws ParamSecretsException;

    static native Object[] readParameters(long handle, String[] names, boolean decrypt, boolean hasVersion,
            long version, String label, long maxAgeNanos, boolean forceFetch, CompletableFuture<Object> future)
            throws ParamSecretsException;

    /** A secret read; {@code ticket} as for {@link #readParameter}. */
    static native Object readSecret(long handle, int kind, String secretId, String versionId, String versionStage,
            long maxAgeNanos, boolean forceFetch, long[] ticket, CompletableFuture<Object> future)
            throws ParamSecretsException;

    static native Object[] readSecrets(long handle, String[] secretIds, String versionId, String versionStage,
            long maxAgeNanos, boolean forceFetch, CompletableFuture<Object> future) throws ParamSecretsException;

    /** Starts background reads of these names and returns at once. */
    static native void prefetch(long handle, String[] parameters, String[] secrets) throws ParamSecretsException;

    /** Drops every cached entry of a parameter ({@code secret} false) or a secret; returns how many. */
    static native long invalidate(long handle, boolean secret, String key) throws ParamSecretsException;

    static native void clearCache(long handle) throws ParamSecretsException;

    static native long[] stats(long handle) throws ParamSecretsException;

    // ---- core's memo memory (bindings-java/src/memo.rs) -----------------------------------

    /** A handle holding the client's memo memory alive, or 0 when the cache is off. */
    static native long memoRetain(long handle) throws ParamSecretsException;

    /** A direct buffer over the memo header ({@code touch} false) or the touch flags. */
    static native java.nio.ByteBuffer memoBuffer(long memo, boolean touch) throws ParamSecretsException;

    static native void memoRelease(long memo);

    /** Every code core can produce, in DESIGN order (for the tests). */
    static native String[] errorCodes();

    /** The exception core would report with this code, not thrown (for the tests). */
    static native ParamSecretsException errorForCode(String code);

    /** Panics inside the library (for the test that no panic crosses the boundary). */
    static native void panicForTest() throws ParamSecretsException;

    /**
     * Completes {@code future} through one failure path of the async machinery (for the tests
     * that no future is ever left pending; the modes are in bindings-java/src/lib.rs).
     */
    static native void asyncFaultForTest(int mode, CompletableFuture<Object> future) throws ParamSecretsException;

    /** Reports a core error while a Java exception is pending (for the test of its cause). */
    static native void pendingForTest() throws ParamSecretsException;

    // ---- called from native code (signatures cached in bindings-java/src/jvm.rs) -------------

    static Parameter parameter(String name, String value, String type, long version, String arn,
            long lastModifiedMs, boolean hasLastModified, String dataType, String selector, byte[] binary) {
        return new Parameter(name, value, type, version, arn,
                hasLastModified ? Instant.ofEpochMilli(lastModifiedMs) : null, dataType, selector, binary);
    }

    static Secret secret(String name, String arn, String versionId, String[] stages, long createdMs,
            boolean hasCreated, String string, byte[] binary) {
        return new Secret(name, arn, versionId, List.of(stages), hasCreated ? Instant.ofEpochMilli(createdMs) : null,
                string, binary);
    }

    /**
     * The exception for core's error {@code code}. Its cause: {@code javaCause} (a Java exception
     * that was pending in the library when it reported this error) if there is one, else the
     * native cause's text.
     */
    static ParamSecretsException error(String code, String detail, int status, String awsType, int attempts,
            String cause, Throwable javaCause) {
        Throwable c = javaCause != null ? javaCause : cause == null ? null : new Errors.NativeCause(cause);
        return Errors.from(code, detail, status < 0 ? null : status, awsType, attempts, c);
    }

    static void complete(CompletableFuture<Object> future, Object value, Throwable error) {
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(value);
        }
    }

    // ---- argument conventions ---------------------------------------------------------------

    /** A duration in nanoseconds, saturated; -1 for {@code null} (negative ones are refused earlier). */
    static long nanos(Duration d) {
        if (d == null) {
            return -1;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    static String[] array(List<String> keys) {
        return keys.toArray(new String[0]);
    }
}
