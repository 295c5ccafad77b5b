package dev.paramsecrets;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Reads SSM parameters and Secrets Manager secrets through the AWS Parameters and Secrets Lambda
 * Extension, with an in-process cache in front of it.
 *
 * <pre>{@code
 * try (Client client = Client.fromEnv()) {
 *     String url = client.getParameter("/app/db-url");
 *     Map<String, Object> db = (Map<String, Object>) client.getSecretJson("app/db");
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one client per process. Every read has a blocking form and an
 * {@code ...Async} form returning a {@link CompletableFuture}. A repeated cache hit is answered
 * on the calling thread without a native call, from a memo of core's answers that core keeps
 * honest ({@link Memo}); the first hit of a value takes one native call. Errors are {@link ParamSecretsException} subclasses, one per
 * code; async forms complete exceptionally with the same exceptions.
 *
 * <p>This class only translates: caching, validation, retries and single-flight live in the Rust
 * core.
 */
public final class Client implements AutoCloseable {
    static {
        NativeLoader.ensureLoaded();
    }

    private final long handle;
    /** Repeats core's cache hits without a native call; {@code null} when the cache is off. */
    private final Memo memo;

    /** The memo, or {@code null} when the cache is off (for the tests). */
    Memo memo() {
        return memo;
    }
    private volatile boolean closed;

    private Client(long handle) throws ParamSecretsException {
        this.handle = handle;
        // Freed once unreachable (so that no read can be running on it): NativeMemory.
        NativeMemory.register(this, () -> NativeBridge.free(handle));
        this.memo = Memo.of(handle);
    }

    /**
     * A client configured from the environment alone: port from
     * {@code PARAMETERS_SECRETS_EXTENSION_HTTP_PORT} (default 2773), token from
     * {@code PARAMSECRETS_TOKEN}, {@code AWS_TOKEN}, {@code AWS_SESSION_TOKEN} or
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, TTLs and limits from {@code PARAMSECRETS_*}.
     *
     * @return a new client; share it (a static field) so that its cache lives as long as the process
     * @throws ParamSecretsException {@link MissingTokenException} when no token variable is set,
     *         {@link InvalidArgumentException} for an invalid setting
     */
    public static Client fromEnv() throws ParamSecretsException {
        return new Client(NativeBridge.fromEnv());
    }

    /**
     * Explicit settings; anything left unset falls back to the environment, then the default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- parameters ---------------------------------------------------------------------

    /**
     * The same as {@link #getParameter(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the parameter's value (decrypted, latest version)
     * @throws ParamSecretsException the read failed (see {@link #getParameter(String, ParameterOptions)})
     */
    public String getParameter(String name) throws ParamSecretsException {
        return (String) parameter(NativeBridge.PARAM_VALUE, name, null);
    }

    /**
     * The parameter's value, with options (version, label, decrypt, maxAge, forceFetch).
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the value; a StringList is the comma-separated string
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException};
     *         {@link InvalidArgumentException} for a binary secret read through
     *         {@code /aws/reference/secretsmanager/} (use {@link #getParameterBinary(String, ParameterOptions)})
     */
    public String getParameter(String name, ParameterOptions options) throws ParamSecretsException {
        return (String) parameter(NativeBridge.PARAM_VALUE, name, options);
    }

    /**
     * The same as {@link #getParameterBinary(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the value's bytes
     * @throws ParamSecretsException the read failed (see {@link #getParameterBinary(String, ParameterOptions)})
     */
    public byte[] getParameterBinary(String name) throws ParamSecretsException {
        return getParameterBinary(name, null);
    }

    /**
     * The bytes of a binary secret read through {@code /aws/reference/secretsmanager/NAME}
     * (for which {@link #getParameter(String)} refuses with {@link InvalidArgumentException}),
     * or a text value's UTF-8 bytes.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the value's bytes
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}
     */
    public byte[] getParameterBinary(String name, ParameterOptions options) throws ParamSecretsException {
        return (byte[]) parameter(NativeBridge.PARAM_BINARY, name, options);
    }

    /**
     * The same as {@link #getParameterRecord(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the parameter with its metadata
     * @throws ParamSecretsException the read failed (see {@link #getParameterRecord(String, ParameterOptions)})
     */
    public Parameter getParameterRecord(String name) throws ParamSecretsException {
        return getParameterRecord(name, null);
    }

    /**
     * The parameter with its metadata.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the parameter: value, type, version, ARN, last modified date, data type, selector
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}
     */
    public Parameter getParameterRecord(String name, ParameterOptions options) throws ParamSecretsException {
        return (Parameter) parameter(NativeBridge.PARAM_RECORD, name, options);
    }

    /**
     * The same as {@link #getParameterJson(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the value parsed as JSON
     * @throws ParamSecretsException the read failed (see {@link #getParameterJson(String, ParameterOptions)})
     */
    public Object getParameterJson(String name) throws ParamSecretsException {
        return getParameterJson(name, null);
    }

    /**
     * The parameter's value parsed as JSON.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return a {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Long},
     *         {@code BigInteger}, {@code Double}, {@code Boolean} or {@code null}
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}; invalid JSON is a {@link ProtocolException} (the value is never quoted)
     */
    public Object getParameterJson(String name, ParameterOptions options) throws ParamSecretsException {
        return Json.decode((byte[]) parameter(NativeBridge.PARAM_JSON, name, options));
    }

    /**
     * Many parameters (at most 8 requests in flight), one result per name, in order.
     *
     * @param names the parameter names
     * @return one result per name, in order: the record or that name's error
     * @throws ParamSecretsException {@link InvalidArgumentException} for a {@code null} list or an
     *         invalid name (nothing is read); a failed read is its result's error, not thrown
     */
    public List<BatchResult<Parameter>> getParameters(List<String> names) throws ParamSecretsException {
        return getParameters(names, null);
    }

    /**
     * Many parameters with the same options (at most 8 requests in flight).
     *
     * @param names   the parameter names
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return one result per name, in order: the record or that name's error
     * @throws ParamSecretsException {@link InvalidArgumentException} for a {@code null} list or an
     *         invalid name (nothing is read); a failed read is its result's error, not thrown
     */
    public List<BatchResult<Parameter>> getParameters(List<String> names, ParameterOptions options)
            throws ParamSecretsException {
        return results(names, parameters(names, options, null), Parameter.class);
    }

    // ---- secrets ------------------------------------------------------------------------

    /**
     * The same as {@link #getSecret(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret's string value ({@code SecretString})
     * @throws ParamSecretsException the read failed (see {@link #getSecret(String, SecretOptions)})
     */
    public String getSecret(String secretId) throws ParamSecretsException {
        return (String) secret(NativeBridge.SECRET_STRING, secretId, null);
    }

    /**
     * The secret's string value ({@code SecretString}).
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the {@code SecretString}
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException};
     *         {@link InvalidArgumentException} for a binary secret (use {@link #getSecretBinary(String, SecretOptions)})
     */
    public String getSecret(String secretId, SecretOptions options) throws ParamSecretsException {
        return (String) secret(NativeBridge.SECRET_STRING, secretId, options);
    }

    /**
     * The same as {@link #getSecretBinary(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret's bytes
     * @throws ParamSecretsException the read failed (see {@link #getSecretBinary(String, SecretOptions)})
     */
    public byte[] getSecretBinary(String secretId) throws ParamSecretsException {
        return getSecretBinary(secretId, null);
    }

    /**
     * The secret's binary value ({@code SecretBinary}), or a string secret's UTF-8 bytes.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the secret's bytes
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}
     */
    public byte[] getSecretBinary(String secretId, SecretOptions options) throws ParamSecretsException {
        return (byte[]) secret(NativeBridge.SECRET_BINARY, secretId, options);
    }

    /**
     * The same as {@link #getSecretRecord(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret with its metadata
     * @throws ParamSecretsException the read failed (see {@link #getSecretRecord(String, SecretOptions)})
     */
    public Secret getSecretRecord(String secretId) throws ParamSecretsException {
        return getSecretRecord(secretId, null);
    }

    /**
     * The secret with its metadata.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the secret: name, ARN, version id and stages, created date, string or binary value
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}
     */
    public Secret getSecretRecord(String secretId, SecretOptions options) throws ParamSecretsException {
        return (Secret) secret(NativeBridge.SECRET_RECORD, secretId, options);
    }

    /**
     * The same as {@link #getSecretJson(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret string parsed as JSON
     * @throws ParamSecretsException the read failed (see {@link #getSecretJson(String, SecretOptions)})
     */
    public Object getSecretJson(String secretId) throws ParamSecretsException {
        return getSecretJson(secretId, null);
    }

    /**
     * The secret string parsed as JSON (see {@link #getParameterJson(String, ParameterOptions)} for the types).
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the parsed value, usually a {@code Map<String, Object>}
     * @throws ParamSecretsException the read failed: the subclass of its code, e.g. {@link NotFoundOrDeniedException}; a value that is not JSON is a {@link ProtocolException}
     */
    public Object getSecretJson(String secretId, SecretOptions options) throws ParamSecretsException {
        return Json.decode((byte[]) secret(NativeBridge.SECRET_JSON, secretId, options));
    }

    /**
     * Many secrets (at most 8 requests in flight), one result per id, in order.
     *
     * @param secretIds the secrets' names or ARNs
     * @return one result per id, in order: the record or that id's error
     * @throws ParamSecretsException {@link InvalidArgumentException} for a {@code null} list or an
     *         invalid id (nothing is read); a failed read is its result's error, not thrown
     */
    public List<BatchResult<Secret>> getSecrets(List<String> secretIds) throws ParamSecretsException {
        return getSecrets(secretIds, null);
    }

    /**
     * Many secrets with the same options (at most 8 requests in flight).
     *
     * @param secretIds the secrets' names or ARNs
     * @param options  the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return one result per id, in order: the record or that id's error
     * @throws ParamSecretsException {@link InvalidArgumentException} for a {@code null} list or an
     *         invalid id (nothing is read); a failed read is its result's error, not thrown
     */
    public List<BatchResult<Secret>> getSecrets(List<String> secretIds, SecretOptions options)
            throws ParamSecretsException {
        return results(secretIds, secrets(secretIds, options, null), Secret.class);
    }

    // ---- async --------------------------------------------------------------------------

    /**
     * The same as {@link #getParameterAsync(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the value, when read
     */
    public CompletableFuture<String> getParameterAsync(String name) {
        return getParameterAsync(name, null);
    }

    /**
     * Like {@link #getParameter(String, ParameterOptions)}, without blocking; a cache hit completes before returning. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the value, when read
     */
    public CompletableFuture<String> getParameterAsync(String name, ParameterOptions options) {
        return getParameterRecordAsync(name, options).thenCompose(p -> p.binary() == null
                ? CompletableFuture.completedFuture(p.value())
                : CompletableFuture.failedFuture(Errors.invalid("parameter \"" + p.name()
                        + "\" is a binary secret: read it with getParameterBinary")));
    }

    /**
     * The same as {@link #getParameterRecordAsync(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the parameter, when read
     */
    public CompletableFuture<Parameter> getParameterRecordAsync(String name) {
        return getParameterRecordAsync(name, null);
    }

    /**
     * Like {@link #getParameterRecord(String, ParameterOptions)}, without blocking; a cache hit completes before returning. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the parameter, when read
     */
    public CompletableFuture<Parameter> getParameterRecordAsync(String name, ParameterOptions options) {
        try {
            Parameter hit = (Parameter) parameter(NativeBridge.PARAM_PEEK, name, options);
            if (hit != null) {
                return CompletableFuture.completedFuture(hit);
            }
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return parameterAsync(NativeBridge.PARAM_RECORD, name, options, r -> (Parameter) r);
    }

    /**
     * The same as {@link #getParameterJsonAsync(String, ParameterOptions)} with the default options.
     *
     * @param name the parameter name (e.g. {@code /app/db-url}) or ARN
     * @return the parsed value, when read
     */
    public CompletableFuture<Object> getParameterJsonAsync(String name) {
        return getParameterJsonAsync(name, null);
    }

    /**
     * Like {@link #getParameterJson(String, ParameterOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param name    the parameter name (e.g. {@code /app/db-url}) or ARN
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return the parsed value, when read
     */
    public CompletableFuture<Object> getParameterJsonAsync(String name, ParameterOptions options) {
        return parameterAsync(NativeBridge.PARAM_JSON, name, options, r -> Json.decode((byte[]) r));
    }

    /**
     * The same as {@link #getParametersAsync(List, ParameterOptions)} with the default options.
     *
     * @param names the parameter names
     * @return one result per name, in order, when all are read
     */
    public CompletableFuture<List<BatchResult<Parameter>>> getParametersAsync(List<String> names) {
        return getParametersAsync(names, null);
    }

    /**
     * Like {@link #getParameters(List, ParameterOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param names   the parameter names
     * @param options the per-read options, or {@code null} for {@link ParameterOptions#defaults()}
     * @return one result per name, in order, when all are read
     */
    public CompletableFuture<List<BatchResult<Parameter>>> getParametersAsync(List<String> names, ParameterOptions options) {
        CompletableFuture<Object> raw = new CompletableFuture<>();
        try {
            parameters(names, options, raw);
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return adapt(raw, r -> results(names, (Object[]) r, Parameter.class));
    }

    /**
     * The same as {@link #getSecretAsync(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the {@code SecretString}, when read
     */
    public CompletableFuture<String> getSecretAsync(String secretId) {
        return getSecretAsync(secretId, null);
    }

    /**
     * Like {@link #getSecret(String, SecretOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the {@code SecretString}, when read
     */
    public CompletableFuture<String> getSecretAsync(String secretId, SecretOptions options) {
        return secretAsync(NativeBridge.SECRET_STRING, secretId, options, r -> (String) r);
    }

    /**
     * The same as {@link #getSecretBinaryAsync(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret's bytes, when read
     */
    public CompletableFuture<byte[]> getSecretBinaryAsync(String secretId) {
        return getSecretBinaryAsync(secretId, null);
    }

    /**
     * Like {@link #getSecretBinary(String, SecretOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the secret's bytes, when read
     */
    public CompletableFuture<byte[]> getSecretBinaryAsync(String secretId, SecretOptions options) {
        return secretAsync(NativeBridge.SECRET_BINARY, secretId, options, r -> (byte[]) r);
    }

    /**
     * The same as {@link #getSecretRecordAsync(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the secret, when read
     */
    public CompletableFuture<Secret> getSecretRecordAsync(String secretId) {
        return getSecretRecordAsync(secretId, null);
    }

    /**
     * Like {@link #getSecretRecord(String, SecretOptions)}, without blocking; a cache hit completes before returning. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the secret, when read
     */
    public CompletableFuture<Secret> getSecretRecordAsync(String secretId, SecretOptions options) {
        try {
            Secret hit = (Secret) secret(NativeBridge.SECRET_PEEK, secretId, options);
            if (hit != null) {
                return CompletableFuture.completedFuture(hit);
            }
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return secretAsync(NativeBridge.SECRET_RECORD, secretId, options, r -> (Secret) r);
    }

    /**
     * The same as {@link #getSecretJsonAsync(String, SecretOptions)} with the default options.
     *
     * @param secretId the secret's name or ARN
     * @return the parsed value, when read
     */
    public CompletableFuture<Object> getSecretJsonAsync(String secretId) {
        return getSecretJsonAsync(secretId, null);
    }

    /**
     * Like {@link #getSecretJson(String, SecretOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param secretId the secret's name or ARN
     * @param options the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return the parsed value, when read
     */
    public CompletableFuture<Object> getSecretJsonAsync(String secretId, SecretOptions options) {
        return secretAsync(NativeBridge.SECRET_JSON, secretId, options, r -> Json.decode((byte[]) r));
    }

    /**
     * The same as {@link #getSecretsAsync(List, SecretOptions)} with the default options.
     *
     * @param secretIds the secrets' names or ARNs
     * @return one result per id, in order, when all are read
     */
    public CompletableFuture<List<BatchResult<Secret>>> getSecretsAsync(List<String> secretIds) {
        return getSecretsAsync(secretIds, null);
    }

    /**
     * Like {@link #getSecrets(List, SecretOptions)}, without blocking. Completes on {@code ForkJoinPool.commonPool()} (below a parallelism of two, on paramsecrets' own pool of reused daemon threads), or exceptionally with the exception the blocking form throws.
     *
     * @param secretIds the secrets' names or ARNs
     * @param options  the per-read options, or {@code null} for {@link SecretOptions#defaults()}
     * @return one result per id, in order, when all are read
     */
    public CompletableFuture<List<BatchResult<Secret>>> getSecretsAsync(List<String> secretIds, SecretOptions options) {
        CompletableFuture<Object> raw = new CompletableFuture<>();
        try {
            secrets(secretIds, options, raw);
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        }
        return adapt(raw, r -> results(secretIds, (Object[]) r, Secret.class));
    }

    // ---- cache control ------------------------------------------------------------------

    /**
     * Drops every cached entry of this parameter (all versions, labels, decrypt flags).
     *
     * @param name the parameter name ({@code null} drops nothing)
     * @return how many entries were dropped
     */
    public long invalidateParameter(String name) {
        return invalidate(false, name);
    }

    /**
     * Drops every cached entry of this secret (all version ids and stages).
     *
     * @param secretId the secret's name or ARN ({@code null} drops nothing)
     * @return how many entries were dropped
     */
    public long invalidateSecret(String secretId) {
        return invalidate(true, secretId);
    }

    private long invalidate(boolean secret, String key) {
        if (key == null) {
            return 0;
        }
        try {
            long dropped = NativeBridge.invalidate(handle(), secret, key);
            if (memo != null) {
                memo.sync();
            }
            return dropped;
        } catch (ParamSecretsException e) {
            throw new IllegalStateException(e);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Empties the in-process cache (the counters are kept). */
    public void clearCache() {
        try {
            NativeBridge.clearCache(handle());
            if (memo != null) {
                memo.sync();
            }
        } catch (ParamSecretsException e) {
            throw new IllegalStateException(e);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Starts reading these in the background and returns at once: call it where the function
     * is initialised (the handler's constructor or a static initialiser, during Lambda's INIT
     * phase, when the extension serves nothing yet). The first read of each name joins its
     * request or hits the cache; a prefetch that fails is that read's exception.
     *
     * @param parameters the parameter names to read ({@code null}: none)
     * @param secrets    the secret names or ARNs to read ({@code null}: none)
     * @throws ParamSecretsException only {@link InvalidArgumentException}: an empty, over-long or
     *         control-character name (nothing starts)
     */
    public void prefetch(List<String> parameters, List<String> secrets) throws ParamSecretsException {
        List<String> ps = parameters == null ? List.of() : parameters;
        List<String> ss = secrets == null ? List.of() : secrets;
        requireKeys("parameter name", ps);
        requireKeys("secret id", ss);
        try {
            NativeBridge.prefetch(handle(), NativeBridge.array(ps), NativeBridge.array(ss));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@return the cache's counters: hits, misses, stale values served, coalesced reads, requests, retries, errors, evictions} */
    public Stats stats() {
        try {
            return Stats.of(NativeBridge.stats(handle()), memo == null ? 0 : memo.hits());
        } catch (ParamSecretsException e) {
            throw new IllegalStateException(e);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Closes the client: its cache is emptied at once and reads after {@code close()} throw
     * {@link IllegalStateException}. The native memory is freed once the client is unreachable
     * and another client is built or closed (no thread of paramsecrets' own watches for it).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        clearCache();
        closed = true;
        NativeMemory.drain();
        if (memo != null) {
            memo.clear();
        }
    }

    @Override
    public String toString() {
        return "paramsecrets.Client";
    }

    /** The hits the memo served (included in {@link #stats()}'s hits), for the tests. */
    long memoHits() {
        return memo == null ? 0 : memo.hits();
    }

    // ---- translation helpers ------------------------------------------------------------

    private long handle() {
        if (closed) {
            throw new IllegalStateException("paramsecrets: this client is closed");
        }
        return handle;
    }

    /** The memo's form for a parameter read kind ({@code PEEK} reads records). */
    private static int parameterForm(int kind) {
        switch (kind) {
            case NativeBridge.PARAM_VALUE:
                return Memo.P_VALUE;
            case NativeBridge.PARAM_JSON:
                return Memo.P_JSON;
            case NativeBridge.PARAM_BINARY:
                return Memo.P_BINARY;
            default:
                return Memo.P_RECORD;
        }
    }

    private static int secretForm(int kind) {
        switch (kind) {
            case NativeBridge.SECRET_STRING:
                return Memo.S_STRING;
            case NativeBridge.SECRET_JSON:
                return Memo.S_JSON;
            case NativeBridge.SECRET_BINARY:
                return Memo.S_BINARY;
            default:
                return Memo.S_RECORD;
        }
    }

    /**
     * A blocking read: from the memo when it can repeat core's answer, else one native call
     * (a core hit comes back with the ticket that fills the memo).
     */
    private Object parameter(int kind, String name, ParameterOptions options) throws ParamSecretsException {
        requireKey("parameter name", name);
        ParameterOptions o = orDefaults(options);
        long maxAge = maxAge(o.maxAge());
        long h = handle();
        Memo m = o.forceFetch() ? null : memo;
        try {
            if (m == null) {
                return NativeBridge.readParameter(h, kind, name, o.decrypt(), o.version() != null, version(o),
                        o.label(), maxAge, o.forceFetch(), null, null);
            }
            int form = parameterForm(kind);
            boolean plain = Memo.isPlain(o);
            var map = m.map(form, plain);
            String key = plain ? name : Memo.key(form, name, o);
            Object hit = m.get(map, key, maxAge);
            if (hit != null) {
                return hit;
            }
            long[] ticket = {0, -1, 0, 0};
            long t0 = System.nanoTime();
            Object r = NativeBridge.readParameter(h, kind, name, o.decrypt(), o.version() != null, version(o),
                    o.label(), maxAge, false, ticket, null);
            return r == null ? null : m.remember(map, key, r, ticket, t0);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** What the memo holds for this read, or {@code null} (never a native call). */
    private Object memoParameter(int kind, String name, ParameterOptions o) throws ParamSecretsException {
        if (memo == null || o.forceFetch()) {
            return null;
        }
        long maxAge = maxAge(o.maxAge());
        handle();
        int form = parameterForm(kind);
        boolean plain = Memo.isPlain(o);
        return memo.get(memo.map(form, plain), plain ? name : Memo.key(form, name, o), maxAge);
    }

    private <T> CompletableFuture<T> parameterAsync(int kind, String name, ParameterOptions options,
            Function<Object, T> map) {
        CompletableFuture<Object> raw = new CompletableFuture<>();
        try {
            requireKey("parameter name", name);
            ParameterOptions o = orDefaults(options);
            Object hit = memoParameter(kind, name, o);
            if (hit != null) {
                return CompletableFuture.completedFuture(map.apply(hit));
            }
            NativeBridge.readParameter(handle(), kind, name, o.decrypt(), o.version() != null, version(o),
                    o.label(), maxAge(o.maxAge()), o.forceFetch(), null, raw);
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            Reference.reachabilityFence(this);
        }
        return adapt(raw, map);
    }

    private Object[] parameters(List<String> names, ParameterOptions options, CompletableFuture<Object> future)
            throws ParamSecretsException {
        requireKeys("parameter name", names);
        ParameterOptions o = orDefaults(options);
        try {
            return NativeBridge.readParameters(handle(), NativeBridge.array(names), o.decrypt(), o.version() != null,
                    version(o), o.label(), maxAge(o.maxAge()), o.forceFetch(), future);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** A blocking secret read, memo first (see {@link #parameter}). */
    private Object secret(int kind, String secretId, SecretOptions options) throws ParamSecretsException {
        requireKey("secret id", secretId);
        SecretOptions o = orDefaults(options);
        long maxAge = maxAge(o.maxAge());
        long h = handle();
        Memo m = o.forceFetch() ? null : memo;
        try {
            if (m == null) {
                return NativeBridge.readSecret(h, kind, secretId, o.versionId(), o.versionStage(), maxAge,
                        o.forceFetch(), null, null);
            }
            int form = secretForm(kind);
            boolean plain = Memo.isPlain(o);
            var map = m.map(form, plain);
            String key = plain ? secretId : Memo.key(form, secretId, o);
            Object hit = m.get(map, key, maxAge);
            if (hit != null) {
                return hit;
            }
            long[] ticket = {0, -1, 0, 0};
            long t0 = System.nanoTime();
            Object r = NativeBridge.readSecret(h, kind, secretId, o.versionId(), o.versionStage(), maxAge, false,
                    ticket, null);
            return r == null ? null : m.remember(map, key, r, ticket, t0);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private Object memoSecret(int kind, String secretId, SecretOptions o) throws ParamSecretsException {
        if (memo == null || o.forceFetch()) {
            return null;
        }
        long maxAge = maxAge(o.maxAge());
        handle();
        int form = secretForm(kind);
        boolean plain = Memo.isPlain(o);
        return memo.get(memo.map(form, plain), plain ? secretId : Memo.key(form, secretId, o), maxAge);
    }

    private <T> CompletableFuture<T> secretAsync(int kind, String secretId, SecretOptions options,
            Function<Object, T> map) {
        CompletableFuture<Object> raw = new CompletableFuture<>();
        try {
            requireKey("secret id", secretId);
            SecretOptions o = orDefaults(options);
            Object hit = memoSecret(kind, secretId, o);
            if (hit != null) {
                return CompletableFuture.completedFuture(map.apply(hit));
            }
            NativeBridge.readSecret(handle(), kind, secretId, o.versionId(), o.versionStage(),
                    maxAge(o.maxAge()), o.forceFetch(), null, raw);
        } catch (ParamSecretsException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            Reference.reachabilityFence(this);
        }
        return adapt(raw, map);
    }

    private Object[] secrets(List<String> secretIds, SecretOptions options, CompletableFuture<Object> future)
            throws ParamSecretsException {
        requireKeys("secret id", secretIds);
        SecretOptions o = orDefaults(options);
        try {
            return NativeBridge.readSecrets(handle(), NativeBridge.array(secretIds), o.versionId(), o.versionStage(),
                    maxAge(o.maxAge()), o.forceFetch(), future);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static ParameterOptions orDefaults(ParameterOptions o) {
        return o == null ? ParameterOptions.defaults() : o;
    }

    private static SecretOptions orDefaults(SecretOptions o) {
        return o == null ? SecretOptions.defaults() : o;
    }

    private static long version(ParameterOptions o) {
        return o.version() == null ? 0 : o.version();
    }

    private static long maxAge(Duration d) throws InvalidArgumentException {
        if (d != null && d.isNegative()) {
            throw Errors.invalid("maxAge must not be negative, got " + d);
        }
        return NativeBridge.nanos(d);
    }

    private static InvalidArgumentException nullKey(String what) {
        return Errors.invalid("the " + what + " must not be null");
    }

    private static void requireKey(String what, String key) throws InvalidArgumentException {
        if (key == null) {
            throw nullKey(what);
        }
    }

    private static void requireKeys(String what, List<String> keys) throws InvalidArgumentException {
        if (keys == null) {
            throw Errors.invalid("the list of " + what + "s must not be null");
        }
        for (String k : keys) {
            requireKey(what, k);
        }
    }

    /**
     * The caller's future: completed on {@link Completions#EXECUTOR} (never on the library's
     * runtime thread, so no dependent stage can block it), with the facade's exceptions.
     */
    private static <T> CompletableFuture<T> adapt(CompletableFuture<Object> source, Function<Object, T> map) {
        CompletableFuture<T> out = new CompletableFuture<>();
        source.whenCompleteAsync((value, error) -> {
            if (error != null) {
                out.completeExceptionally(Errors.translate(error));
                return;
            }
            try {
                out.complete(map.apply(value));
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        }, Completions.EXECUTOR);
        return out;
    }

    /** One {@link BatchResult} per key: each native item is the record or that key's exception. */
    private static <T> List<BatchResult<T>> results(List<String> keys, Object[] items, Class<T> type) {
        List<BatchResult<T>> out = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            Object item = items[i];
            out.add(item instanceof ParamSecretsException
                    ? new BatchResult<>(keys.get(i), null, (ParamSecretsException) item)
                    : new BatchResult<>(keys.get(i), type.cast(item), null));
        }
        return List.copyOf(out);
    }

    /**
     * Explicit client settings. Each one left unset falls back to the environment variable of
     * DESIGN §3, then to the default. {@code toString} never shows the token.
     */
    public static final class Builder {
        private String endpoint;
        private Integer port;
        private String token;
        private Duration ttl, parameterTtl, secretTtl, timeout, deadline, readyTimeout, staleIfError;
        private String server;
        private Long cacheSize;
        private boolean allowNonLoopback;
        private String invalid;

        private Builder() {}

        /**
         * The extension's port on 127.0.0.1.
         *
         * @param port 1-65535 (another value makes {@link #build()} throw {@link InvalidArgumentException})
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                invalid = "the port must be between 1 and 65535, got " + port;
            } else {
                this.port = port;
            }
            return this;
        }

        /**
         * A full base URL such as {@code http://127.0.0.1:2773}; only loopback unless {@link #allowNonLoopback}.
         *
         * @param endpoint the base URL
         * @return this builder
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * The extension token (a value {@code file://PATH} is read from that file).
         *
         * @param token the token, or {@code file://PATH}
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * The in-process cache TTL for parameters and secrets; zero turns the cache off.
         *
         * @param ttl how long a value is served from memory
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = duration("ttl", ttl);
            return this;
        }

        /**
         * The in-process cache TTL for parameters only (overrides {@link #ttl(Duration)} for them).
         *
         * @param ttl how long a parameter is served from memory; zero: parameters are not cached
         * @return this builder
         */
        public Builder parameterTtl(Duration ttl) {
            this.parameterTtl = duration("parameterTtl", ttl);
            return this;
        }

        /**
         * The in-process cache TTL for secrets only (overrides {@link #ttl(Duration)} for them).
         *
         * @param ttl how long a secret is served from memory; zero: secrets are not cached
         * @return this builder
         */
        public Builder secretTtl(Duration ttl) {
            this.secretTtl = duration("secretTtl", ttl);
            return this;
        }

        /**
         * The cache's capacity in entries (least recently used are evicted); zero turns it off.
         *
         * @param entries the most entries kept
         * @return this builder
         */
        public Builder cacheSize(long entries) {
            if (entries < 0) {
                invalid = "cacheSize must not be negative, got " + entries;
            } else {
                this.cacheSize = entries;
            }
            return this;
        }

        /**
         * The timeout of one HTTP attempt.
         *
         * @param timeout per attempt
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = duration("timeout", timeout);
            return this;
        }

        /**
         * The longest a whole read may take, retries included.
         *
         * @param deadline for one read
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = duration("deadline", deadline);
            return this;
        }

        /**
         * The server: {@code "auto"} (learned from its answers; the default), {@code "extension"}
         * or {@code "agent"}. It decides whether {@code forceFetch} sends the Agent's
         * {@code refreshNow=true}.
         *
         * @param server {@code "auto"}, {@code "extension"} or {@code "agent"}
         * @return this builder
         */
        public Builder server(String server) {
            this.server = server;
            return this;
        }

        /**
         * How long to keep retrying while the extension is starting.
         *
         * @param readyTimeout how long "not ready" answers are retried
         * @return this builder
         */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = duration("readyTimeout", readyTimeout);
            return this;
        }

        /**
         * Serve an expired value this long past its TTL when a refresh fails transiently.
         *
         * @param window how long past its TTL a value may be served (zero: never)
         * @return this builder
         */
        public Builder staleIfError(Duration window) {
            this.staleIfError = duration("staleIfError", window);
            return this;
        }

        /**
         * Accept an endpoint that is not on this machine (the token is part of the function's credentials).
         *
         * @param allow whether a non-loopback endpoint is accepted
         * @return this builder
         */
        public Builder allowNonLoopback(boolean allow) {
            this.allowNonLoopback = allow;
            return this;
        }

        private Duration duration(String what, Duration d) {
            if (d != null && d.isNegative()) {
                invalid = what + " must not be negative, got " + d;
                return null;
            }
            return d;
        }

        /**
         * A client with these settings.
         *
         * @return a new client
         * @throws ParamSecretsException {@link InvalidArgumentException} for an invalid setting,
         *         {@link MissingTokenException} when no token is given or found
         */
        public Client build() throws ParamSecretsException {
            if (invalid != null) {
                throw Errors.invalid(invalid);
            }
            return new Client(NativeBridge.withOptions(endpoint, port == null ? -1 : port, token,
                    NativeBridge.nanos(ttl), NativeBridge.nanos(parameterTtl), NativeBridge.nanos(secretTtl),
                    cacheSize == null ? -1 : cacheSize, NativeBridge.nanos(timeout), NativeBridge.nanos(deadline),
                    NativeBridge.nanos(readyTimeout), NativeBridge.nanos(staleIfError), server, allowNonLoopback));
        }

        @Override
        public String toString() {
            return "Client.Builder[endpoint=" + endpoint + ", port=" + port + ", token="
                    + (token == null ? "unset" : "[REDACTED]") + "]";
        }
    }
}
