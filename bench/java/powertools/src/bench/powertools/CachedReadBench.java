package bench.powertools;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.*;

import dev.paramsecrets.Client;
import dev.paramsecrets.powertools.ParamSecretsSsmProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * A cached {@code get} through our provider vs through Powertools' own {@code SSMProvider} (an
 * {@code SsmClient} on the local API stub), in one JMH run. {@code *Hit}: both caches set to an
 * hour, so every call is a Powertools cache hit (the path both providers share, plus our
 * force-fetch check). {@code *Default}: Powertools' default 5 s max age, so every 5 s a read
 * goes to the store (ours: the client's own cache; theirs: an SDK call to the stub).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CachedReadBench {
    static final String NAME = "/bench/powertools";
    ParamSecretsSsmProvider oursHit;
    ParamSecretsSsmProvider oursDefault;
    SSMProvider theirsHit;
    SSMProvider theirsDefault;
    Client client;
    SsmClient ssm;

    @Setup
    public void setup() throws Exception {
        int port = Integer.getInteger("bench.port");
        String token = System.getProperty("bench.token");
        URI stub = URI.create(System.getProperty("bench.stub"));
        client = Client.builder().port(port).token(token).build();
        ssm = SsmClient.builder().endpointOverride(stub).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        oursHit = ParamSecretsSsmProvider.builder().withClient(client).withCacheManager(hour()).build();
        oursDefault = ParamSecretsSsmProvider.builder().withClient(client).build();
        theirsHit = SSMProvider.builder().withClient(ssm).withCacheManager(hour()).build();
        theirsDefault = SSMProvider.builder().withClient(ssm).build();
        for (var p : new software.amazon.lambda.powertools.parameters.BaseProvider[] {oursHit, oursDefault, theirsHit, theirsDefault}) {
            if (!"bench-powertools-value-19ab".equals(p.get(NAME))) {
                throw new IllegalStateException("wrong value from " + p.getClass().getSimpleName());
            }
        }
    }

    private static CacheManager hour() {
        CacheManager m = new CacheManager();
        m.setDefaultExpirationTime(Duration.ofHours(1));
        return m;
    }

    @TearDown
    public void tearDown() {
        ssm.close();
        client.close();
    }

    @Benchmark
    public String oursHit() {
        return oursHit.get(NAME);
    }

    @Benchmark
    public String powertoolsHit() {
        return theirsHit.get(NAME);
    }

    @Benchmark
    public String oursDefault() {
        return oursDefault.get(NAME);
    }

    @Benchmark
    public String powertoolsDefault() {
        return theirsDefault.get(NAME);
    }
}
