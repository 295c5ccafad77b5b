package dev.paramsecrets.powertools;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

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

    ExtensionProvider(Client client, CacheManager cacheManager, TransformationManager transformations) {
        super(cacheManager, transformations);
        this.client = client;
        this.transformations = transformations;
    }

    /** {@return the paramsecrets client behind this provider (its stats, {@code prefetch}, ...)} */
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
     * A forced read: its {@code get} skips Powertools' cache and the client's, reads through the
     * extension and refills both (the extension's own cache, {@code SSM_PARAMETER_STORE_TTL} /
     * {@code SECRETS_MANAGER_TTL}, still applies: it has no bypass). An addition: Powertools for
     * Java has no force-fetch. Options set on this provider before it (decryption, max age,
     * transformation) apply to that read, and all are reset after it, as after any {@code get}.
     *
     * <p>A view rather than a flag, so that an ordinary {@code get} runs exactly Powertools'
     * {@code BaseProvider.get}, with no check added to the cache hit.
     *
     * @return a view of this provider whose next {@code get} is forced
     */
    public ForcedRead withForceFetch() {
        return new ForcedRead(this);
    }

    @Override
    protected String getValue(String key) {
        return read(key, false);
    }

    String read(String key, boolean forceFetch) {
        try {
            return fetch(key, maxAge.get(), forceFetch);
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
        resetOwn();
    }

    /** Subclasses' per-call options (e.g. decryption), reset after every call. */
    void resetOwn() {}

    /** What {@link #withForceFetch()} returns: one forced {@code get} through its provider. */
    public static final class ForcedRead extends BaseProvider {
        private final ExtensionProvider owner;

        ForcedRead(ExtensionProvider owner) {
            super(owner.cacheManager, owner.transformations);
            this.owner = owner;
        }

        @Override
        public ForcedRead withMaxAge(int maxAge, ChronoUnit unit) {
            owner.withMaxAge(maxAge, unit);
            return this;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public ForcedRead withTransformation(Class<? extends Transformer> transformerClass) {
            owner.withTransformation(transformerClass);
            return this;
        }

        @Override
        public String get(String key) {
            try {
                String value = owner.read(key, true);
                if (owner.transformations.shouldTransform()) {
                    value = owner.transformations.performBasicTransformation(value);
                }
                owner.cacheManager.putInCache(key, value);
                return value;
            } finally {
                owner.resetToDefaults();
            }
        }

        @Override
        public <T> T get(String key, Class<T> targetClass) {
            try {
                T value = owner.transformations.performComplexTransformation(owner.read(key, true), targetClass);
                owner.cacheManager.putInCache(key, value);
                return value;
            } finally {
                owner.resetToDefaults();
            }
        }

        @Override
        protected String getValue(String key) {
            return owner.read(key, true);
        }

        @Override
        public Map<String, String> getMultiple(String path) {
            return owner.getMultiple(path);
        }

        @Override
        protected Map<String, String> getMultipleValues(String path) {
            return owner.getMultipleValues(path);
        }
    }
}
