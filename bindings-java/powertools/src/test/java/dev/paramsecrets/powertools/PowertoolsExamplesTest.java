package dev.paramsecrets.powertools;

import static org.junit.jupiter.api.Assertions.*;
import static software.amazon.lambda.powertools.parameters.transform.Transformer.base64;
import static software.amazon.lambda.powertools.parameters.transform.Transformer.json;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.paramsecrets.Client;
import dev.paramsecrets.NotFoundOrDeniedException;
import dev.paramsecrets.TestEmulator;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.lambda.powertools.parameters.BaseProvider;
import software.amazon.lambda.powertools.parameters.exception.TransformationException;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * Powertools for AWS Lambda (Java) v2.9.0's documented Parameters examples (get, decryption,
 * transformation to an object and from Base64, max age, the cache, errors), run unchanged but for
 * the provider: once on Powertools' own {@link SSMProvider}/{@link SecretsProvider} (AWS SDK
 * clients on {@link AwsApiStub}), once on ours (the real emulator). Same values, same error
 * classes except where the store answers differently by design: a missing name is the SDK's
 * {@code ParameterNotFoundException} there and {@link ExtensionReadException} (cause
 * {@link NotFoundOrDeniedException}) here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PowertoolsExamplesTest {
    static TestEmulator emu;
    static AwsApiStub aws;
    Client client;

    @BeforeAll
    static void up() throws Exception {
        emu = TestEmulator.start();
        aws = AwsApiStub.start(Path.of("src/test/resources/store.json").toAbsolutePath());
    }

    @AfterAll
    static void down() {
        emu.close();
        aws.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        emu.reset();
        client = emu.client();
    }

    /** The documented example's target class for the JSON transformer. */
    public static final class DbConfig {
        public String host;
        public int port;
        public boolean debug;

        @Override
        public String toString() {
            return "DbConfig[" + host + ":" + port + ", debug=" + debug + "]";
        }
    }

    /** The value, or the error's class name: what each example gave. */
    static Object outcome(Supplier<Object> example) {
        try {
            return example.get();
        } catch (RuntimeException e) {
            return Map.of("error", e.getClass().getSimpleName());
        }
    }

    /** The examples, written once against the providers' shared API. */
    static Map<String, Object> examples(BaseProvider ssmProvider, Supplier<BaseProvider> decrypting,
            BaseProvider secretsProvider) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("get", outcome(() -> ssmProvider.get("/powertools/plain")));
        r.put("getDecrypted", outcome(() -> decrypting.get().get("/powertools/secure")));
        r.put("getWithMaxAge", outcome(() -> ssmProvider.withMaxAge(30, ChronoUnit.SECONDS).get("/powertools/plain")));
        r.put("transformJson", outcome(() -> ssmProvider.withTransformation(json)
                .get("/powertools/config", DbConfig.class).toString()));
        r.put("transformBase64", outcome(() -> ssmProvider.withTransformation(base64).get("/powertools/base64")));
        r.put("transformJsonInvalid", outcome(() -> ssmProvider.withTransformation(json)
                .get("/powertools/not-json", DbConfig.class)));
        r.put("transformBase64Invalid", outcome(() -> ssmProvider.withTransformation(base64).get("/powertools/not-base64")));
        r.put("getClassWithoutTransformer", outcome(() -> ssmProvider.get("/powertools/untransformed", DbConfig.class)));
        r.put("getMissing", outcome(() -> ssmProvider.get("/powertools/missing")));
        r.put("secret", outcome(() -> secretsProvider.get("powertools/text")));
        r.put("secretJson", outcome(() -> secretsProvider.withTransformation(json).get("powertools/db", Map.class)
                .get("username")));
        r.put("secretBinary", outcome(() -> secretsProvider.get("powertools/bin")));
        r.put("secretMissing", outcome(() -> secretsProvider.get("powertools/missing")));
        r.put("secretsGetMultiple", outcome(() -> secretsProvider.getMultiple("powertools")));
        return r;
    }

    @Test
    void theDocumentedExamplesGiveTheSameValuesAndErrors() {
        SSMProvider theirSsm = SSMProvider.builder().withClient(aws.ssm()).build();
        SecretsProvider theirSecrets = SecretsProvider.builder().withClient(aws.secretsManager()).build();
        Map<String, Object> theirs = examples(theirSsm, theirSsm::withDecryption, theirSecrets);

        ParamSecretsSsmProvider ourSsm = ParamSecretsSsmProvider.builder().withClient(client).build();
        ParamSecretsSecretsProvider ourSecrets = ParamSecretsSecretsProvider.builder().withClient(client).build();
        Map<String, Object> ours = examples(ourSsm, ourSsm::withDecryption, ourSecrets);

        // The values themselves (not only equal to Powertools'): the store's.
        assertEquals("pt-plain-value-3e1a", ours.get("get"));
        assertEquals("pt-secure-value-8b2c", ours.get("getDecrypted"));
        assertEquals("pt-plain-value-3e1a", ours.get("getWithMaxAge"));
        assertEquals("DbConfig[db.internal:5432, debug=true]", ours.get("transformJson"));
        assertEquals("hello world", ours.get("transformBase64"));
        assertEquals(Map.of("error", TransformationException.class.getSimpleName()), ours.get("transformJsonInvalid"));
        assertEquals(Map.of("error", TransformationException.class.getSimpleName()), ours.get("transformBase64Invalid"));
        assertEquals(Map.of("error", "IllegalStateException"), ours.get("getClassWithoutTransformer"));
        assertEquals("pt-text-secret-a7f4", ours.get("secret"));
        assertEquals("admin", ours.get("secretJson"));
        assertEquals("hello binary", ours.get("secretBinary"));
        assertEquals(Map.of("error", "NotSupportedByExtensionException"), ours.get("secretsGetMultiple"));

        // Powertools' own providers agree, but for the documented differences.
        Map<String, Object> expected = new LinkedHashMap<>(ours);
        expected.put("getMissing", Map.of("error", ParameterNotFoundException.class.getSimpleName()));
        expected.put("secretMissing", Map.of("error", ResourceNotFoundException.class.getSimpleName()));
        expected.put("secretsGetMultiple", Map.of("error", "UnsupportedOperationException"));
        assertEquals(expected, theirs);
        assertEquals(Map.of("error", "ExtensionReadException"), ours.get("getMissing"));
        assertEquals(Map.of("error", "ExtensionReadException"), ours.get("secretMissing"));
    }

    @Test
    void aMissingNameIsATypedErrorNamingItNeverAValue() {
        ParamSecretsSsmProvider ssm = ParamSecretsSsmProvider.builder().withClient(client).build();
        ExtensionReadException e = assertThrows(ExtensionReadException.class, () -> ssm.get("/powertools/missing"));
        assertInstanceOf(NotFoundOrDeniedException.class, e.getCause());
        assertEquals("not_found_or_denied", e.code());
        assertTrue(e.getMessage().contains("/powertools/missing"), e.getMessage());
        ParamSecretsSecretsProvider secrets = ParamSecretsSecretsProvider.builder().withClient(client).build();
        assertThrows(ExtensionReadException.class, () -> secrets.get("powertools/missing"));
        // A failure is not cached (in either layer): the next get asks again.
        assertThrows(ExtensionReadException.class, () -> ssm.get("/powertools/missing"));
    }

    @Test
    void valuesAreCachedByPowertoolsAsWithItsOwnProvider() throws Exception {
        SSMProvider theirs = SSMProvider.builder().withClient(aws.ssm()).build();
        ParamSecretsSsmProvider ours = ParamSecretsSsmProvider.builder().withClient(client).build();
        long before = aws.requests("parameter:/powertools/plain");
        for (int i = 0; i < 5; i++) {
            assertEquals("pt-plain-value-3e1a", theirs.get("/powertools/plain"));
            assertEquals("pt-plain-value-3e1a", ours.get("/powertools/plain"));
        }
        assertEquals(1, aws.requests("parameter:/powertools/plain") - before);
        assertEquals(1, emu.requests("parameter:/powertools/plain"));
        assertEquals(0, client.stats().hits(), "Powertools' cache answered: the client was asked once");
    }

    @Test
    void maxAgeExpiresInBothLayers() throws Exception {
        SSMProvider theirs = SSMProvider.builder().withClient(aws.ssm()).build();
        ParamSecretsSsmProvider ours = ParamSecretsSsmProvider.builder().withClient(client).build();
        long before = aws.requests("parameter:/powertools/plain");
        assertEquals("pt-plain-value-3e1a", theirs.withMaxAge(1, ChronoUnit.SECONDS).get("/powertools/plain"));
        assertEquals("pt-plain-value-3e1a", ours.withMaxAge(1, ChronoUnit.SECONDS).get("/powertools/plain"));
        Thread.sleep(1200);
        assertEquals("pt-plain-value-3e1a", theirs.withMaxAge(1, ChronoUnit.SECONDS).get("/powertools/plain"));
        assertEquals("pt-plain-value-3e1a", ours.withMaxAge(1, ChronoUnit.SECONDS).get("/powertools/plain"));
        assertEquals(2, aws.requests("parameter:/powertools/plain") - before);
        // Our client's cache (TTL 300 s) did not answer the second read: its max age was 1 s too.
        assertEquals(2, emu.requests("parameter:/powertools/plain"));
        // The default (5 s) applies again after the call.
        assertEquals("pt-plain-value-3e1a", ours.get("/powertools/plain"));
        assertEquals(2, emu.requests("parameter:/powertools/plain"));
    }

    @Test
    void forceFetchSkipsBothCachesAndRefillsThem() throws Exception {
        ParamSecretsSsmProvider ours = ParamSecretsSsmProvider.builder().withClient(client).build();
        assertEquals("pt-plain-value-3e1a", ours.get("/powertools/plain"));
        assertEquals("pt-plain-value-3e1a", ours.withForceFetch().get("/powertools/plain"));
        assertEquals(2, emu.requests("parameter:/powertools/plain"));
        assertEquals("pt-plain-value-3e1a", ours.get("/powertools/plain"));
        assertEquals(2, emu.requests("parameter:/powertools/plain"), "only the next get is forced");
        assertEquals("DbConfig[db.internal:5432, debug=true]",
                ours.withForceFetch().withTransformation(json).get("/powertools/config", DbConfig.class).toString());
        assertEquals(1, emu.requests("parameter:/powertools/config"));
        ParamSecretsSecretsProvider secrets = ParamSecretsSecretsProvider.builder().withClient(client).build();
        assertEquals("pt-text-secret-a7f4", secrets.get("powertools/text"));
        assertEquals("pt-text-secret-a7f4", secrets.withForceFetch().get("powertools/text"));
        assertEquals(2, emu.requests("secret:powertools/text"));
    }

    @Test
    void whatTheExtensionCannotDoThrowsNamingThePowertoolsProviderToKeep() {
        ParamSecretsSsmProvider ssm = ParamSecretsSsmProvider.builder().withClient(client).build();
        NotSupportedByExtensionException e = assertThrows(NotSupportedByExtensionException.class,
                () -> ssm.recursive().getMultiple("/powertools"));
        assertEquals("getMultiple", e.operation());
        assertEquals(SSMProvider.class.getName(), e.powertoolsProvider());
        assertTrue(e.getMessage().contains("GetParametersByPath"), e.getMessage());
        NotSupportedByExtensionException s = assertThrows(NotSupportedByExtensionException.class,
                () -> ParamSecretsSecretsProvider.builder().withClient(client).build().getMultiple("powertools"));
        assertEquals(SecretsProvider.class.getName(), s.powertoolsProvider());
        NotSupportedByExtensionException a = assertThrows(NotSupportedByExtensionException.class,
                () -> Providers.appConfig("prod", "my-app"));
        assertEquals("AppConfig", a.operation());
        assertEquals("software.amazon.lambda.powertools.parameters.appconfig.AppConfigProvider", a.powertoolsProvider());
        // After a throwing getMultiple, the per-call options are reset as after any call.
        assertEquals("pt-plain-value-3e1a", ssm.get("/powertools/plain"));
    }

    @Test
    void withoutDecryptionASecureStringIsNotDecryptedAsWithSsmProvider() throws Exception {
        ParamSecretsSsmProvider ours = ParamSecretsSsmProvider.builder().withClient(client).build();
        assertNotEquals("pt-secure-value-8b2c", ours.get("/powertools/secure"));
        // Powertools caches by name alone (SSMProvider too): the undecrypted value is what the
        // cache holds now, until it expires or a forced read replaces it.
        assertNotEquals("pt-secure-value-8b2c", ours.withDecryption().get("/powertools/secure"));
        assertEquals("pt-secure-value-8b2c", ours.withDecryption().withForceFetch().get("/powertools/secure"));
        assertEquals("pt-secure-value-8b2c", ours.get("/powertools/secure"));
    }

    @Test
    void nothingPrintsAValue() {
        ParamSecretsSsmProvider ssm = ParamSecretsSsmProvider.builder().withClient(client).build();
        assertEquals("pt-secure-value-8b2c", ssm.withDecryption().get("/powertools/secure"));
        assertFalse(ssm.toString().contains("pt-secure"), ssm.toString());
        assertFalse(client.toString().contains("pt-secure"), client.toString());
    }
}
