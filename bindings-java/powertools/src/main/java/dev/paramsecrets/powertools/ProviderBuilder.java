package dev.paramsecrets.powertools;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.transform.TransformationManager;

/**
 * As Powertools' {@code SSMProviderBuilder}/{@code SecretsProviderBuilder}, with a paramsecrets
 * {@link Client} in place of the AWS SDK client: {@link ParamSecretsSsmProvider#builder()},
 * {@link ParamSecretsSecretsProvider#builder()}.
 *
 * @param <P> the provider it builds
 */
public final class ProviderBuilder<P extends ExtensionProvider> {
    /** How a provider is made from its parts. */
    interface Factory<P> {
        P make(Client client, CacheManager cacheManager, TransformationManager transformationManager);
    }

    private final Factory<P> factory;
    private Client client;
    private CacheManager cacheManager;
    private TransformationManager transformationManager;

    ProviderBuilder(Factory<P> factory) {
        this.factory = factory;
    }

    /**
     * The client to read through (default: {@link Client#fromEnv()}).
     *
     * @param client a paramsecrets client
     * @return this builder
     */
    public ProviderBuilder<P> withClient(Client client) {
        this.client = client;
        return this;
    }

    /**
     * Powertools' cache (default: a new {@code CacheManager}, 5 s).
     *
     * @param cacheManager the cache manager
     * @return this builder
     */
    public ProviderBuilder<P> withCacheManager(CacheManager cacheManager) {
        this.cacheManager = cacheManager;
        return this;
    }

    /**
     * Powertools' transformers (default: a new {@code TransformationManager}).
     *
     * @param transformationManager the transformation manager
     * @return this builder
     */
    public ProviderBuilder<P> withTransformationManager(TransformationManager transformationManager) {
        this.transformationManager = transformationManager;
        return this;
    }

    /**
     * The provider.
     *
     * @return a provider on the given client, or on {@link Client#fromEnv()}
     * @throws ExtensionReadException when no client was given and {@link Client#fromEnv()} fails
     */
    public P build() {
        Client c = client;
        if (c == null) {
            try {
                c = Client.fromEnv();
            } catch (ParamSecretsException e) {
                throw new ExtensionReadException(e);
            }
        }
        return factory.make(c, cacheManager != null ? cacheManager : new CacheManager(),
                transformationManager != null ? transformationManager : new TransformationManager());
    }
}
