package dev.paramsecrets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.paramsecrets.ffi.NativeClient;
import dev.paramsecrets.ffi.NativeException;
import dev.paramsecrets.ffi.NativeParameter;
import dev.paramsecrets.ffi.NativeSecret;
import dev.paramsecrets.ffi.ParameterOutcome;
import dev.paramsecrets.ffi.SecretOutcome;

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
 * {@code ...Async} form returning a {@link CompletableFuture}. A cache hit is answered on the
 * calling thread in one native call. Errors are {@link ParamSecretsException} subclasses, one per
 * code; async forms complete exceptionally with the same exceptions.
 *
 * <p>This class only translates: caching, validation, retries and single-flight live in the Rust
 * core.
 */
public final class Client implements AutoCloseable {
    static {
        NativeLoader.ensureLoaded();
    }

    private final NativeClient inner;

    private Client(NativeClient inner) {
        this.inner = inner;
    }

    /**
     * A client configured from the environment alone: port from
     * {@code PARAMETERS_SECRETS_EXTENSION_HTTP_PORT} (default 2773), token from
     * {@code PARAMSECRETS_TOKEN}, {@code AWS_TOKEN}, {@code AWS_SESSION_TOKEN} or
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, TTLs and limits from {@code PARAMSECRETS_*}.
     */
    public static Client fromEnv() throws ParamSecretsException {
        try {
            return new Client(NativeClient.fromEnv());
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    /** Explicit settings; anything left unset falls back to the environment, then the default. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- parameters ---------------------------------------------------------------------

    /** The parameter's value (decrypted, latest version). */
    public String getParameter(String name) throws ParamSecretsException {
        requireKey("parameter name", name);
        try {
            return inner.parameterValue(name);
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    /** The parameter's value, with options (version, label, decrypt, maxAge, forceFetch). */
    public String getParameter(String name, ParameterOptions options) throws ParamSecretsException {
        requireKey("parameter name", name);
        try {
            return inner.parameterValueWith(name, opts(options));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public byte[] getParameterBinary(String name) throws ParamSecretsException {
        return getParameterBinary(name, null);
    }

    /**
     * The bytes of a binary secret read through {@code /aws/reference/secretsmanager/NAME}
     * (for which {@link #getParameter(String)} refuses with {@link InvalidArgumentException}),
     * or a text value's UTF-8 bytes.
     */
    public byte[] getParameterBinary(String name, ParameterOptions options) throws ParamSecretsException {
        requireKey("parameter name", name);
        try {
            return inner.parameterBinary(name, opts(options));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public Parameter getParameterRecord(String name) throws ParamSecretsException {
        return getParameterRecord(name, null);
    }

    /** The parameter with its metadata. */
    public Parameter getParameterRecord(String name, ParameterOptions options) throws ParamSecretsException {
        requireKey("parameter name", name);
        try {
            return Parameter.from(inner.parameter(name, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public Object getParameterJson(String name) throws ParamSecretsException {
        return getParameterJson(name, null);
    }

    /**
     * The parameter's value parsed as JSON: a {@code Map<String, Object>}, {@code List<Object>},
     * {@code String}, {@code Long}, {@code BigInteger}, {@code Double}, {@code Boolean} or
     * {@code null}. Invalid JSON is a {@link ProtocolException} (the value is never quoted).
     */
    public Object getParameterJson(String name, ParameterOptions options) throws ParamSecretsException {
        requireKey("parameter name", name);
        try {
            return Json.toJava(inner.parameterJson(name, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    /** Many parameters (at most 8 requests in flight), one result per name, in order. */
    public List<BatchResult<Parameter>> getParameters(List<String> names) throws ParamSecretsException {
        return getParameters(names, null);
    }

    public List<BatchResult<Parameter>> getParameters(List<String> names, ParameterOptions options)
            throws ParamSecretsException {
        requireKeys("parameter name", names);
        try {
            return parameterResults(inner.parameters(names, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    // ---- secrets ------------------------------------------------------------------------

    /** The secret's string value ({@code SecretString}); a binary secret is an {@link InvalidArgumentException}. */
    public String getSecret(String secretId) throws ParamSecretsException {
        requireKey("secret id", secretId);
        try {
            return inner.secretString(secretId);
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public String getSecret(String secretId, SecretOptions options) throws ParamSecretsException {
        requireKey("secret id", secretId);
        try {
            return inner.secretStringWith(secretId, opts(options));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public byte[] getSecretBinary(String secretId) throws ParamSecretsException {
        return getSecretBinary(secretId, null);
    }

    /** The secret's binary value ({@code SecretBinary}), or a string secret's UTF-8 bytes. */
    public byte[] getSecretBinary(String secretId, SecretOptions options) throws ParamSecretsException {
        requireKey("secret id", secretId);
        try {
            return inner.secretBinary(secretId, opts(options));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public Secret getSecretRecord(String secretId) throws ParamSecretsException {
        return getSecretRecord(secretId, null);
    }

    /** The secret with its metadata. */
    public Secret getSecretRecord(String secretId, SecretOptions options) throws ParamSecretsException {
        requireKey("secret id", secretId);
        try {
            return Secret.from(inner.secret(secretId, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public Object getSecretJson(String secretId) throws ParamSecretsException {
        return getSecretJson(secretId, null);
    }

    /** The secret string parsed as JSON (see {@link #getParameterJson(String, ParameterOptions)} for the types). */
    public Object getSecretJson(String secretId, SecretOptions options) throws ParamSecretsException {
        requireKey("secret id", secretId);
        try {
            return Json.toJava(inner.secretJson(secretId, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    /** Many secrets (at most 8 requests in flight), one result per id, in order. */
    public List<BatchResult<Secret>> getSecrets(List<String> secretIds) throws ParamSecretsException {
        return getSecrets(secretIds, null);
    }

    public List<BatchResult<Secret>> getSecrets(List<String> secretIds, SecretOptions options)
            throws ParamSecretsException {
        requireKeys("secret id", secretIds);
        try {
            return secretResults(inner.secrets(secretIds, opts(options)));
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    // ---- async --------------------------------------------------------------------------

    public CompletableFuture<String> getParameterAsync(String name) {
        return getParameterAsync(name, null);
    }

    /** Like {@link #getParameter(String, ParameterOptions)}; a cache hit completes before returning. */
    public CompletableFuture<String> getParameterAsync(String name, ParameterOptions options) {
        return getParameterRecordAsync(name, options).thenCompose(p -> p.binary() == null
                ? CompletableFuture.completedFuture(p.value())
                : CompletableFuture.failedFuture(Errors.invalid("parameter \"" + p.name()
                        + "\" is a binary secret: read it with getParameterBinary")));
    }

    public CompletableFuture<Parameter> getParameterRecordAsync(String name) {
        return getParameterRecordAsync(name, null);
    }

    public CompletableFuture<Parameter> getParameterRecordAsync(String name, ParameterOptions options) {
        if (name == null) {
            return CompletableFuture.failedFuture(nullKey("parameter name"));
        }
        var o = opts(options);
        try {
            NativeParameter hit = inner.peekParameter(name, o);
            if (hit != null) {
                return CompletableFuture.completedFuture(Parameter.from(hit));
            }
        } catch (NativeException e) {
            return CompletableFuture.failedFuture(Errors.from(e));
        }
        return adapt(inner.parameterAsync(name, o), Parameter::from);
    }

    public CompletableFuture<Object> getParameterJsonAsync(String name) {
        return getParameterJsonAsync(name, null);
    }

    public CompletableFuture<Object> getParameterJsonAsync(String name, ParameterOptions options) {
        if (name == null) {
            return CompletableFuture.failedFuture(nullKey("parameter name"));
        }
        return adapt(inner.parameterJsonAsync(name, opts(options)), Json::toJava);
    }

    public CompletableFuture<List<BatchResult<Parameter>>> getParametersAsync(List<String> names) {
        return getParametersAsync(names, null);
    }

    public CompletableFuture<List<BatchResult<Parameter>>> getParametersAsync(List<String> names, ParameterOptions options) {
        try {
            requireKeys("parameter name", names);
        } catch (InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return adapt(inner.parametersAsync(names, opts(options)), Client::parameterResults);
    }

    public CompletableFuture<String> getSecretAsync(String secretId) {
        return getSecretAsync(secretId, null);
    }

    public CompletableFuture<String> getSecretAsync(String secretId, SecretOptions options) {
        if (secretId == null) {
            return CompletableFuture.failedFuture(nullKey("secret id"));
        }
        return adapt(inner.secretStringAsync(secretId, opts(options)), Function.identity());
    }

    public CompletableFuture<byte[]> getSecretBinaryAsync(String secretId) {
        return getSecretBinaryAsync(secretId, null);
    }

    public CompletableFuture<byte[]> getSecretBinaryAsync(String secretId, SecretOptions options) {
        if (secretId == null) {
            return CompletableFuture.failedFuture(nullKey("secret id"));
        }
        return adapt(inner.secretBinaryAsync(secretId, opts(options)), Function.identity());
    }

    public CompletableFuture<Secret> getSecretRecordAsync(String secretId) {
        return getSecretRecordAsync(secretId, null);
    }

    /** Like {@link #getSecretRecord(String, SecretOptions)}; a cache hit completes before returning. */
    public CompletableFuture<Secret> getSecretRecordAsync(String secretId, SecretOptions options) {
        if (secretId == null) {
            return CompletableFuture.failedFuture(nullKey("secret id"));
        }
        var o = opts(options);
        try {
            NativeSecret hit = inner.peekSecret(secretId, o);
            if (hit != null) {
                return CompletableFuture.completedFuture(Secret.from(hit));
            }
        } catch (NativeException e) {
            return CompletableFuture.failedFuture(Errors.from(e));
        }
        return adapt(inner.secretAsync(secretId, o), Secret::from);
    }

    public CompletableFuture<Object> getSecretJsonAsync(String secretId) {
        return getSecretJsonAsync(secretId, null);
    }

    public CompletableFuture<Object> getSecretJsonAsync(String secretId, SecretOptions options) {
        if (secretId == null) {
            return CompletableFuture.failedFuture(nullKey("secret id"));
        }
        return adapt(inner.secretJsonAsync(secretId, opts(options)), Json::toJava);
    }

    public CompletableFuture<List<BatchResult<Secret>>> getSecretsAsync(List<String> secretIds) {
        return getSecretsAsync(secretIds, null);
    }

    public CompletableFuture<List<BatchResult<Secret>>> getSecretsAsync(List<String> secretIds, SecretOptions options) {
        try {
            requireKeys("secret id", secretIds);
        } catch (InvalidArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return adapt(inner.secretsAsync(secretIds, opts(options)), Client::secretResults);
    }

    // ---- cache control ------------------------------------------------------------------

    /** Drops every cached entry of this parameter (all versions, labels, decrypt flags); returns how many. */
    public long invalidateParameter(String name) {
        return name == null ? 0 : inner.invalidateParameter(name);
    }

    /** Drops every cached entry of this secret (all version ids and stages); returns how many. */
    public long invalidateSecret(String secretId) {
        return secretId == null ? 0 : inner.invalidateSecret(secretId);
    }

    /** Empties the in-process cache (the counters are kept). */
    public void clearCache() {
        inner.clearCache();
    }

    /**
     * Starts reading these in the background and returns at once: call it where the function
     * is initialised (the handler's constructor or a static initialiser, during Lambda's INIT
     * phase, when the extension serves nothing yet). The first read of each name joins its
     * request or hits the cache; a prefetch that fails is that read's exception.
     *
     * @throws InvalidArgumentException for a null list or an invalid name (nothing starts)
     */
    public void prefetch(List<String> parameters, List<String> secrets) throws ParamSecretsException {
        List<String> ps = parameters == null ? List.of() : parameters;
        List<String> ss = secrets == null ? List.of() : secrets;
        requireKeys("parameter name", ps);
        requireKeys("secret id", ss);
        try {
            inner.prefetch(ps, ss);
        } catch (NativeException e) {
            throw Errors.from(e);
        }
    }

    public Stats stats() {
        return Stats.from(inner.stats());
    }

    /** Releases the native client. Reads after {@code close()} throw {@link IllegalStateException}. */
    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "paramsecrets.Client";
    }

    // ---- translation helpers ------------------------------------------------------------

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

    private static dev.paramsecrets.ffi.ParameterOptions opts(ParameterOptions o) {
        return (o == null ? ParameterOptions.defaults() : o).toNative();
    }

    private static dev.paramsecrets.ffi.SecretOptions opts(SecretOptions o) {
        return (o == null ? SecretOptions.defaults() : o).toNative();
    }

    private static <A, B> CompletableFuture<B> adapt(CompletableFuture<A> source, Function<A, B> map) {
        CompletableFuture<B> out = new CompletableFuture<>();
        source.whenComplete((value, error) -> {
            if (error != null) {
                out.completeExceptionally(Errors.translate(error));
                return;
            }
            try {
                out.complete(map.apply(value));
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        });
        return out;
    }

    private static List<BatchResult<Parameter>> parameterResults(List<ParameterOutcome> outcomes) {
        List<BatchResult<Parameter>> out = new ArrayList<>(outcomes.size());
        for (ParameterOutcome o : outcomes) {
            out.add(o.error() != null
                    ? new BatchResult<>(o.name(), null, Errors.from(o.error()))
                    : new BatchResult<>(o.name(), Parameter.from(o.parameter()), null));
        }
        return List.copyOf(out);
    }

    private static List<BatchResult<Secret>> secretResults(List<SecretOutcome> outcomes) {
        List<BatchResult<Secret>> out = new ArrayList<>(outcomes.size());
        for (SecretOutcome o : outcomes) {
            out.add(o.error() != null
                    ? new BatchResult<>(o.secretId(), null, Errors.from(o.error()))
                    : new BatchResult<>(o.secretId(), Secret.from(o.secret()), null));
        }
        return List.copyOf(out);
    }

    /**
     * Explicit client settings. Each one left unset falls back to the environment variable of
     * DESIGN §3, then to the default. {@code toString} never shows the token.
     */
    public static final class Builder {
        private String endpoint;
        private Short port;
        private String token;
        private Duration ttl, parameterTtl, secretTtl, timeout, deadline, readyTimeout, staleIfError;
        private String server;
        private Long cacheSize;
        private boolean allowNonLoopback;
        private String invalid;

        private Builder() {}

        /** The extension's port on 127.0.0.1 (1-65535). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                invalid = "the port must be between 1 and 65535, got " + port;
            } else {
                this.port = (short) port;
            }
            return this;
        }

        /** A full base URL such as {@code http://127.0.0.1:2773}; only loopback unless {@link #allowNonLoopback}. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The extension token (a value {@code file://PATH} is read from that file). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The in-process cache TTL for parameters and secrets; zero turns the cache off. */
        public Builder ttl(Duration ttl) {
            this.ttl = duration("ttl", ttl);
            return this;
        }

        public Builder parameterTtl(Duration ttl) {
            this.parameterTtl = duration("parameterTtl", ttl);
            return this;
        }

        public Builder secretTtl(Duration ttl) {
            this.secretTtl = duration("secretTtl", ttl);
            return this;
        }

        /** The cache's capacity in entries (least recently used are evicted); zero turns it off. */
        public Builder cacheSize(long entries) {
            if (entries < 0) {
                invalid = "cacheSize must not be negative, got " + entries;
            } else {
                this.cacheSize = entries;
            }
            return this;
        }

        /** The timeout of one HTTP attempt. */
        public Builder timeout(Duration timeout) {
            this.timeout = duration("timeout", timeout);
            return this;
        }

        /** The longest a whole read may take, retries included. */
        public Builder deadline(Duration deadline) {
            this.deadline = duration("deadline", deadline);
            return this;
        }

        /**
         * The server: {@code "auto"} (learned from its answers; the default), {@code "extension"}
         * or {@code "agent"}. It decides whether {@code forceFetch} sends the Agent's
         * {@code refreshNow=true}.
         */
        public Builder server(String server) {
            this.server = server;
            return this;
        }

        /** How long to keep retrying while the extension is starting. */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = duration("readyTimeout", readyTimeout);
            return this;
        }

        /** Serve an expired value this long past its TTL when a refresh fails transiently. */
        public Builder staleIfError(Duration window) {
            this.staleIfError = duration("staleIfError", window);
            return this;
        }

        /** Accept an endpoint that is not on this machine (the token is part of the function's credentials). */
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

        public Client build() throws ParamSecretsException {
            if (invalid != null) {
                throw Errors.invalid(invalid);
            }
            var options = new dev.paramsecrets.ffi.ClientOptions(endpoint, port, ttl, parameterTtl, secretTtl,
                    cacheSize, timeout, deadline, readyTimeout, staleIfError, server, allowNonLoopback);
            try {
                return new Client(NativeClient.withOptions(options, token));
            } catch (NativeException e) {
                throw Errors.from(e);
            }
        }

        @Override
        public String toString() {
            return "Client.Builder[endpoint=" + endpoint + ", port=" + port + ", token="
                    + (token == null ? "unset" : "[REDACTED]") + "]";
        }
    }
}
