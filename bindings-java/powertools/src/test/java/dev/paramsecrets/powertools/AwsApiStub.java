package dev.paramsecrets.powertools;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A local stand-in for the SSM and Secrets Manager APIs (AWS JSON 1.1: {@code GetParameter},
 * {@code GetSecretValue}) on 127.0.0.1, serving the same store.json as the emulator, so that
 * Powertools' own {@code SSMProvider} and {@code SecretsProvider} (AWS SDK clients) run next to
 * ours on the same values. Not-found answers are the services' own
 * ({@code ParameterNotFound}, {@code ResourceNotFoundException}).
 */
public final class AwsApiStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, JsonNode> parameters = new HashMap<>();
    private final Map<String, JsonNode> secrets = new HashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private AwsApiStub(Path store) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(store));
        root.path("parameters").forEach(p -> parameters.put(p.get("name").asText(), p));
        root.path("secrets").forEach(s -> secrets.put(s.get("name").asText(), s));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "aws-api-stub");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static AwsApiStub start(Path store) throws IOException {
        return new AwsApiStub(store);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests seen for one key: {@code parameter:NAME} or {@code secret:ID}. */
    public long requests(String key) {
        AtomicLong n = requests.get(key);
        return n == null ? 0 : n.get();
    }

    public SsmClient ssm() {
        return SsmClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            JsonNode body = JSON.readTree(in.readAllBytes());
            String target = String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target"));
            ObjectNode out = JSON.createObjectNode();
            int status = 200;
            if (target.equals("AmazonSSM.GetParameter")) {
                String name = body.path("Name").asText();
                count("parameter:" + name);
                JsonNode p = parameters.get(name);
                if (p == null) {
                    status = 400;
                    out.put("__type", "ParameterNotFound");
                } else {
                    String type = p.path("type").asText("String");
                    String value = p.get("value").asText();
                    boolean decrypt = body.path("WithDecryption").asBoolean(false);
                    ObjectNode param = out.putObject("Parameter");
                    param.put("Name", name).put("Type", type).put("Version", 1)
                            .put("Value", type.equals("SecureString") && !decrypt ? "ciphertext:" + name : value);
                }
            } else if (target.equals("secretsmanager.GetSecretValue")) {
                String id = body.path("SecretId").asText();
                count("secret:" + id);
                JsonNode s = secrets.get(id);
                if (s == null) {
                    status = 400;
                    out.put("__type", "ResourceNotFoundException").put("Message", "Secrets Manager can't find the specified secret.");
                } else {
                    out.put("Name", id).put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + id)
                            .put("VersionId", "00000000-0000-0000-0000-000000000001");
                    if (s.has("string")) {
                        out.put("SecretString", s.get("string").asText());
                    } else {
                        out.put("SecretBinary", s.get("binary_base64").asText());
                    }
                }
            } else {
                status = 400;
                out.put("__type", "UnknownOperationException");
            }
            byte[] b = JSON.writeValueAsString(out).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
    }

    private void count(String key) {
        requests.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
