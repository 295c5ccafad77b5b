package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParameterOptions;

/**
 * L1 hit vs HashMap.get vs a Powertools-style cache; L1 miss (forceFetch) vs a hand-written
 * keep-alive java.net.http GET. The emulator's port and token come from system properties
 * {@code bench.port} and {@code bench.token} (run.sh starts the emulator).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadBench {
    static final String HIT = "/bench/hit";
    static final String MISS = "/bench/miss";

    Client client;
    ParameterOptions forceFetch;
    Map<String, String> hashMap;
    PowertoolsStyleCache powertools;
    HttpClient http;
    HttpRequest request;

    @Setup
    public void setup() throws Exception {
        int port = Integer.getInteger("bench.port");
        String token = System.getProperty("bench.token");
        client = Client.builder().port(port).token(token).build();
        forceFetch = ParameterOptions.defaults().forceFetch(true);
        if (!"bench-hit-value".equals(client.getParameter(HIT))) {
            throw new IllegalStateException("unexpected value");
        }
        hashMap = new HashMap<>();
        hashMap.put(HIT, "bench-hit-value");
        powertools = new PowertoolsStyleCache(Duration.ofSeconds(300));
        powertools.put(HIT, "bench-hit-value");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/systemsmanager/parameters/get?name=%2Fbench%2Fmiss&withDecryption=true"))
                .header("X-Aws-Parameters-Secrets-Token", token).GET().build();
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public String l1HitParamsecrets() throws Exception {
        return client.getParameter(HIT);
    }

    @Benchmark
    public String l1HitHashMap() {
        return hashMap.get(HIT);
    }

    @Benchmark
    public String l1HitPowertoolsStyle() {
        return powertools.get(HIT);
    }

    @Benchmark
    public String l1MissParamsecretsForceFetch() throws Exception {
        return client.getParameter(MISS, forceFetch);
    }

    @Benchmark
    public String l1MissHttpClientKeepAlive() throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
        }
        return r.body();
    }
}
