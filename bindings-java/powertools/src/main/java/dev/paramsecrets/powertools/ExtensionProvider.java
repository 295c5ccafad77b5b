package dev.paramsecrets.powertools;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import software.amazon.lambda.powertools.parameters.BaseProvider;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.transform.TransformationManager;
import software.amazon.lambda.powertools.parameters.transform.Transformer;

/**
 * What {@link ParamSecretsSsmProvider} and {@link ParamSecretsSecretsProvider} share: a Powertools
 * {@link BaseProvider} whose store is a paramsecrets {@link Client} (the Parameters and Secrets
 * Lambda Extension) instead of an AWS SDK client.
 *
 * <p>Powertools' own semantics are kept, as {@code BaseProvider} implements them: its
 * {@link CacheManager} caches every value (5 s by default), {@link #withMaxAge} and
 * {@link #withTransformation} apply to the next {@code get} on this thread only, transformed
 * values are cached transformed. Underneath, the client keeps its own cache (its TTL, 300 s by
 * default); a {@code withMaxAge} read also passes that age to the client, so the value is never
 * older than asked for in either layer. {@link #withForceFetch()} (an addition: Powertools for
 * Java has none) skips both layers and refills them.
 *
 * <p>Failures are unchecked {@link ExtensionReadException}s whose cause is the client's typed
 * {@link ParamSecretsException}; what the extension cannot do at all throws
 * {@link NotSupportedByExtensionException}, never an empty result.
 */
public abstract class ExtensionProvider extends BaseProvider {
    final Client client;
    private final TransformationManager transformations;
    private final ThreadLocal<Duration> maxAge = new ThreadLocal<>();
    private final ThreadLocal<Boolean> force = new ThreadLocal<>();
    /** Threads with a {@code withForceFetch} pending: 0 lets every other {@code get} skip the ThreadLocal. */
    private final AtomicInteger forcing = new AtomicInteger();

    ExtensionProvider(Client client, CacheManager cacheManager, TransformationManager transformations) {
        super(cacheManager, transformations);
        this.client = client;
        this.transformations = transformations;
    }

    /** The paramsecrets client behind this provider (its stats, {@code clearCache}, ...). */
    public Client client() {
        return client;
    }

    /** As Powertools' {@code withMaxAge}; the client's own cache serves nothing older either. */
    @Override
    public ExtensionProvider withMaxAge(int maxAge, ChronoUnit unit) {
        super.withMaxAge(maxAge, unit);
        this.maxAge.set(Duration.of(maxAge, unit));
        return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ExtensionProvider withTransformation(Class<? extends Transformer> transformerClass) {
        super.withTransformation(transformerClass);
        return this;
    }

    /**
     * The next {@code get} on this thread skips Powertools' cache and the client's, reads through
     * the extension and refills both. (The extension's own cache, {@code SSM_PARAMETER_STORE_TTL}
     * / {@code SECRETS_MANAGER_TTL}, still applies: it has no bypass.)
     */
    public ExtensionProvider withForceFetch() {
        if (force.get() == null) {
            forcing.incrementAndGet();
        }
        force.set(Boolean.TRUE);
        return this;
    }

    @Override
    public String get(String key) {
        if (forcing.get() != 0 && force.get() != null) {
            try {
                String value = read(key);
                if (transformations.shouldTransform()) {
                    value = transformations.performBasicTransformation(value);
                }
                cacheManager.putInCache(key, value);
                return value;
            } finally {
                resetToDefaults();
            }
        }
        return super.get(key);
    }

    @Override
    public <T> T get(String key, Class<T> targetClass) {
        if (forcing.get() != 0 && force.get() != null) {
            try {
                String value = read(key);
                T transformed = transformations.performComplexTransformation(value, targetClass);
                cacheManager.putInCache(key, transformed);
                return transformed;
            } finally {
                resetToDefaults();
            }
        }
        return super.get(key, targetClass);
    }

    @Override
    protected String getValue(String key) {
        return read(key);
    }

    private String read(String key) {
        try {
            return fetch(key, maxAge.get(), force.get() != null);
        } catch (ParamSecretsException e) {
            throw new ExtensionReadException(e);
        }
    }

    /** One read through the client: at most {@code maxAge} old (null: its TTL), or forced. */
    abstract String fetch(String key, Duration maxAge, boolean forceFetch) throws ParamSecretsException;

    @Override
    protected Map<String, String> getMultipleValues(String path) {
        throw unsupportedMultiple(path);
    }

    /** {@code getMultiple(path)}: the extension has no GetParametersByPath, so this always throws. */
    @Override
    public Map<String, String> getMultiple(String path) {
        try {
            throw unsupportedMultiple(path);
        } finally {
            resetToDefaults();
        }
    }

    abstract NotSupportedByExtensionException unsupportedMultiple(String path);

    @Override
    protected void resetToDefaults() {
        super.resetToDefaults();
        maxAge.remove();
        if (force.get() != null) {
            force.remove();
            forcing.decrementAndGet();
        }
        resetOwn();
    }

    /** Subclasses' per-call options (e.g. decryption), reset after every call. */
    void resetOwn() {}
}
