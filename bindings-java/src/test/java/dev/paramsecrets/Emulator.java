package dev.paramsecrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The real emulator process (`paramsecrets-emulator`), started on a free loopback port. */
final class Emulator implements AutoCloseable {
    static final String TOKEN = "java-suite-token-6e0f";
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) dialect=(\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Process process;
    final int port;
    final Path stderr;

    private Emulator(Process process, int port, Path stderr) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
    }

    static Path repo() {
        String p = System.getProperty("paramsecrets.repo");
        return (p != null ? Paths.get(p) : Paths.get("..")).toAbsolutePath().normalize();
    }

    static Path binary() {
        String env = System.getenv("PARAMSECRETS_EMULATOR");
        Path bin = env != null && !env.isEmpty() ? Paths.get(env) : repo().resolve("target/debug/paramsecrets-emulator");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("emulator not found at " + bin + ": run `cargo build -p paramsecrets-emulator`");
        }
        return bin;
    }

    /** The Java suite's store (src/test/resources/store.json), extension dialect. */
    static Emulator start() throws IOException {
        return start(testStore(), "extension", TOKEN, List.of(), Map.of());
    }

    static Path testStore() {
        return Paths.get("src/test/resources/store.json").toAbsolutePath();
    }

    static Emulator start(Path store, String dialect, String token, List<String> extraArgs, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--store", store.toString(),
                "--dialect", dialect, "--port", "0", "--token", token));
        cmd.addAll(extraArgs);
        Path err = Files.createTempFile("paramsecrets-emulator-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m == null || !m.find()) {
            p.destroyForcibly();
            throw new IOException("emulator did not start: first line " + line + "; stderr: " + Files.readString(err));
        }
        return new Emulator(p, Integer.parseInt(m.group(1)), err);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for this emulator with the suite's token; {@code ttl} as given. */
    Client client() throws ParamSecretsException {
        return Client.builder().port(port).token(TOKEN).build();
    }

    JsonNode stats() throws IOException, InterruptedException {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/_emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    long requests() throws IOException, InterruptedException {
        return stats().get("requests").asLong();
    }

    /** Requests the emulator saw for one key, e.g. {@code parameter:/app/cold}. */
    long requests(String key) throws IOException, InterruptedException {
        JsonNode k = stats().path("keys").path(key);
        return k.isMissingNode() ? 0 : k.path("requests").asLong();
    }

    void reset() throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/_emulator/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
