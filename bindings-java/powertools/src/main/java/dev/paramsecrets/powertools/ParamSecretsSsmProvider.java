package dev.paramsecrets.powertools;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import dev.paramsecrets.ParameterOptions;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.transform.TransformationManager;
import software.amazon.lambda.powertools.parameters.transform.Transformer;

/**
 * Powertools' {@code SSMProvider}, served by the Parameters and Secrets Lambda Extension through
 * paramsecrets: the same {@code get}, {@code get(key, Class)}, {@code withMaxAge},
 * {@code withTransformation} and {@code withDecryption} (values decrypted only when asked, as
 * {@code SSMProvider} does). {@code getMultiple(path)} throws
 * {@link NotSupportedByExtensionException}: keep Powertools' {@code SSMProvider} for it.
 */
public final class ParamSecretsSsmProvider extends ExtensionProvider {
    static final String SSM_PROVIDER = "software.amazon.lambda.powertools.parameters.ssm.SSMProvider";
    private final ThreadLocal<Boolean> decrypt = new ThreadLocal<>();

    ParamSecretsSsmProvider(Client client, CacheManager cacheManager, TransformationManager transformations) {
        super(client, cacheManager, transformations);
    }

    /** {@return a builder, to give the client, cache manager or transformation manager} */
    public static ProviderBuilder<ParamSecretsSsmProvider> builder() {
        return new ProviderBuilder<>(ParamSecretsSsmProvider::new);
    }

    /**
     * A provider on {@link Client#fromEnv()}, with Powertools' default cache and transformers.
     *
     * @return the provider
     * @throws ExtensionReadException when {@link Client#fromEnv()} fails (no token, an invalid setting)
     */
    public static ParamSecretsSsmProvider create() {
        return builder().build();
    }

    /**
     * The next {@code get} on this thread decrypts a SecureString (as {@code SSMProvider.withDecryption}).
     *
     * @return this provider
     */
    public ParamSecretsSsmProvider withDecryption() {
        decrypt.set(Boolean.TRUE);
        return this;
    }

    /**
     * Accepted for source compatibility with {@code SSMProvider.recursive()}; it only affects
     * {@code getMultiple}, which the extension cannot serve.
     *
     * @return this provider
     */
    public ParamSecretsSsmProvider recursive() {
        return this;
    }

    @Override
    public ParamSecretsSsmProvider withMaxAge(int maxAge, ChronoUnit unit) {
        super.withMaxAge(maxAge, unit);
        return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ParamSecretsSsmProvider withTransformation(Class<? extends Transformer> transformerClass) {
        super.withTransformation(transformerClass);
        return this;
    }

    @Override
    String fetch(String key, Duration maxAge, boolean forceFetch) throws ParamSecretsException {
        ParameterOptions o = ParameterOptions.defaults().decrypt(decrypt.get() != null).forceFetch(forceFetch);
        return client.getParameter(key, maxAge == null ? o : o.maxAge(maxAge));
    }

    @Override
    NotSupportedByExtensionException unsupportedMultiple(String path) {
        return new NotSupportedByExtensionException("getMultiple", SSM_PROVIDER,
                "it has no GetParametersByPath (path " + path + "); keep Powertools' SSMProvider for getMultiple,"
                        + " or read the names one by one with get (or paramsecrets' Client.getParameters)");
    }

    @Override
    void resetOwn() {
        decrypt.remove();
    }
}
