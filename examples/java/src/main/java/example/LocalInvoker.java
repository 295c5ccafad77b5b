package example;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import dev.paramsecrets.Stats;

/**
 * Calls {@link Handler} the way the Lambda Java runtime does: one JVM, the handler class loaded and
 * instantiated once (the INIT phase), then N invocations with an event and a context.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -jar target/walkthrough.jar [N]</pre>
 *
 * N defaults to $INVOCATIONS, else 3. The environment must already hold what Lambda and the
 * extension layer set (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN, ...) and the
 * walkthrough's ENV, APP_CONFIG_PATH, CREDS_PATH; scripts/examples-env.sh prints them.
 *
 * <p>Exit status: 0 when every invocation answered statusCode 200, 2 when one answered another
 * status, 1 when the handler threw.
 */
public final class LocalInvoker {

    public static void main(String[] args) throws Exception {
        String nArg = args.length > 0 ? args[0] : System.getenv().getOrDefault("INVOCATIONS", "3");
        int n = Integer.parseInt(nArg);
        for (String v : List.of("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "AWS_SESSION_TOKEN", "ENV", "CREDS_PATH")) {
            if (System.getenv(v) == null) {
                System.err.println(v + " is not set (start scripts/examples-env.sh and source its file)");
                System.exit(1);
            }
        }
        String name = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "demoapp-java");
        System.out.println("invoking " + name + " " + n + " times (handler example.Handler::handleRequest)");

        long t0 = System.nanoTime();
        // INIT: load and initialise the handler class (its static client), then instantiate it.
        Class<?> cls = Class.forName("example.Handler", true, LocalInvoker.class.getClassLoader());
        Handler handler = (Handler) cls.getDeclaredConstructor().newInstance();
        System.out.printf("  init (class load + client): %.1f ms%n", (System.nanoTime() - t0) / 1e6);

        double[] latencies = new double[n];
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> event = new HashMap<>();
            Context context = new LocalContext(name, 30_000);
            t0 = System.nanoTime();
            Map<String, Object> response = handler.handleRequest(event, context);
            latencies[i] = (System.nanoTime() - t0) / 1e6;
            responses.add(response);
        }

        System.out.println("  response: " + toJson(responses.get(0)));
        Map<Object, Integer> codes = new LinkedHashMap<>();
        for (Map<String, Object> r : responses) codes.merge(r.get("statusCode"), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        codes.forEach((s, c) -> parts.add(c + " x statusCode " + s));
        System.out.println("  " + String.join(", ", parts));
        StringBuilder line = new StringBuilder(String.format("  latency: cold %.2f ms", latencies[0]));
        if (n > 1) {
            double[] warm = Arrays.copyOfRange(latencies, 1, n);
            Arrays.sort(warm);
            int m = warm.length / 2;
            double median = warm.length % 2 == 1 ? warm[m] : (warm[m - 1] + warm[m]) / 2;
            double p90 = warm[Math.max(0, (int) Math.ceil(warm.length * 0.9) - 1)];
            line.append(String.format(" | warm median %.2f ms, p90 %.2f ms (%d invocations)", median, p90, warm.length));
        }
        System.out.println(line);
        Stats s = Handler.CLIENT.stats();
        System.out.printf("  paramsecrets L1: hits=%d misses=%d requests=%d errors=%d%n",
                s.hits(), s.misses(), s.requests(), s.errors());
        System.exit(codes.size() == 1 && codes.containsKey(200) ? 0 : 2);
    }

    /** The response as Lambda would serialise it, statusCode and body first. */
    static String toJson(Map<String, Object> r) {
        List<String> keys = new ArrayList<>();
        if (r.containsKey("statusCode")) keys.add("statusCode");
        if (r.containsKey("body")) keys.add("body");
        for (String k : r.keySet()) if (!keys.contains(k)) keys.add(k);
        List<String> fields = new ArrayList<>();
        for (String k : keys) fields.add(quote(k) + ": " + value(r.get(k)));
        return "{" + String.join(", ", fields) + "}";
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** The context the Java runtime passes: request id, names, deadline and a logger. */
    static final class LocalContext implements Context {
        private final String name;
        private final String requestId = UUID.randomUUID().toString();
        private final long deadline;

        LocalContext(String name, long timeoutMs) {
            this.name = name;
            this.deadline = System.currentTimeMillis() + timeoutMs;
        }

        private static String env(String k, String d) {
            return System.getenv().getOrDefault(k, d);
        }

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name); }
        @Override public String getLogStreamName() { return env("AWS_LAMBDA_LOG_STREAM_NAME", "local"); }
        @Override public String getFunctionName() { return name; }
        @Override public String getFunctionVersion() { return env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"); }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + env("AWS_REGION", "us-east-1") + ":000000000000:function:" + name;
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }
        @Override public int getMemoryLimitInMB() {
            return Integer.parseInt(env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
        }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.println(message); }
                @Override public void log(byte[] message) { System.err.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
