package powertools;

import static software.amazon.lambda.powertools.parameters.transform.Transformer.base64;
import static software.amazon.lambda.powertools.parameters.transform.Transformer.json;

import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.paramsecrets.powertools.ParamSecretsSecretsProvider;
import dev.paramsecrets.powertools.ParamSecretsSsmProvider;

/**
 * Powertools for AWS Lambda (Java) v2's documented Parameters examples on our providers, in the
 * local Lambda (the emulator extension layer): returns
 * {@code {"results": {exampleName: value | {"error": "ClassName"}}}}. The providers are built at
 * class initialisation (INIT) from the function's environment, as Powertools' own are; every
 * read is in the invoke. Store: lambda-tests/powertools.store.json; the runner is
 * lambda-tests/powertools.py (README.md here says what it needs).
 */
public class Handler {
    static final ParamSecretsSsmProvider SSM = ParamSecretsSsmProvider.create();
    static final ParamSecretsSecretsProvider SECRETS = ParamSecretsSecretsProvider.create();

    /** The JSON transformer's target class in the documented example. */
    public static final class DbConfig {
        public String host;
        public int port;

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    static Object outcome(Supplier<Object> example) {
        try {
            return example.get();
        } catch (RuntimeException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", e.getClass().getSimpleName());
            return error;
        }
    }

    public Map<String, Object> handleRequest(Map<String, Object> event) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("get", outcome(() -> SSM.get("/powertools/plain")));
        r.put("getDecrypted", outcome(() -> SSM.withDecryption().get("/powertools/secure")));
        r.put("getWithMaxAge", outcome(() -> SSM.withMaxAge(30, ChronoUnit.SECONDS).get("/powertools/plain")));
        r.put("transformJson", outcome(() -> SSM.withTransformation(json).get("/powertools/config", DbConfig.class)
                .toString()));
        r.put("transformBase64", outcome(() -> SSM.withTransformation(base64).get("/powertools/base64")));
        r.put("forceFetch", outcome(() -> SSM.withForceFetch().get("/powertools/plain")));
        r.put("getMissing", outcome(() -> SSM.get("/powertools/missing")));
        r.put("getMultiple", outcome(() -> SSM.getMultiple("/powertools")));
        r.put("secret", outcome(() -> SECRETS.get("powertools/text")));
        r.put("secretJson", outcome(() -> SECRETS.withTransformation(json).get("powertools/db", Map.class)
                .get("username")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", r);
        return out;
    }
}
