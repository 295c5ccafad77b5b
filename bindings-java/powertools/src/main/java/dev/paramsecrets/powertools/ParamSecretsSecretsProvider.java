package dev.paramsecrets.powertools;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import dev.paramsecrets.Secret;
import dev.paramsecrets.SecretOptions;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.transform.TransformationManager;
import software.amazon.lambda.powertools.parameters.transform.Transformer;

/**
 * Powertools' {@code SecretsProvider}, served by the Parameters and Secrets Lambda Extension
 * through paramsecrets: the same {@code get}, {@code get(key, Class)}, {@code withMaxAge} and
 * {@code withTransformation}, and the same value for a binary secret ({@code SecretsProvider}
 * decodes its bytes as Base64 text into a UTF-8 string). {@code getMultiple} throws
 * {@link NotSupportedByExtensionException}, a subclass of the
 * {@code UnsupportedOperationException} {@code SecretsProvider} throws.
 */
public final class ParamSecretsSecretsProvider extends ExtensionProvider {
    static final String SECRETS_PROVIDER = "software.amazon.lambda.powertools.parameters.secrets.SecretsProvider";

    ParamSecretsSecretsProvider(Client client, CacheManager cacheManager, TransformationManager transformations) {
        super(client, cacheManager, transformations);
    }

    /** {@return a builder, to give the client, cache manager or transformation manager} */
    public static ProviderBuilder<ParamSecretsSecretsProvider> builder() {
        return new ProviderBuilder<>(ParamSecretsSecretsProvider::new);
    }

    /**
     * A provider on {@link Client#fromEnv()}, with Powertools' default cache and transformers.
     *
     * @return the provider
     * @throws ExtensionReadException when {@link Client#fromEnv()} fails (no token, an invalid setting)
     */
    public static ParamSecretsSecretsProvider create() {
        return builder().build();
    }

    @Override
    public ParamSecretsSecretsProvider withMaxAge(int maxAge, ChronoUnit unit) {
        super.withMaxAge(maxAge, unit);
        return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ParamSecretsSecretsProvider withTransformation(Class<? extends Transformer> transformerClass) {
        super.withTransformation(transformerClass);
        return this;
    }

    @Override
    String fetch(String key, Duration maxAge, boolean forceFetch) throws ParamSecretsException {
        SecretOptions o = SecretOptions.defaults().forceFetch(forceFetch);
        Secret s = client.getSecretRecord(key, maxAge == null ? o : o.maxAge(maxAge));
        if (s.string() != null) {
            return s.string();
        }
        return new String(Base64.getDecoder().decode(s.binary()), UTF_8);
    }

    @Override
    NotSupportedByExtensionException unsupportedMultiple(String path) {
        return new NotSupportedByExtensionException("getMultiple", SECRETS_PROVIDER,
                "Secrets Manager has no get-by-path (path " + path + "), in Powertools' SecretsProvider either;"
                        + " read the secrets one by one with get (or paramsecrets' Client.getSecrets)");
    }
}
