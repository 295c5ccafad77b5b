package bench.powertools;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * One fresh JVM: build Powertools' own {@code SSMProvider} (an {@code SsmClient}, URL-connection
 * HTTP client as Powertools' builder uses, on the local API stub), then its first read. Same
 * output as {@link ColdOurs}. Args: stub endpoint.
 */
public final class ColdPowertools {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        SsmClient ssm = SsmClient.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        SSMProvider provider = SSMProvider.builder().withClient(ssm).build();
        long t1 = System.nanoTime();
        String v = provider.get("/bench/powertools");
        long t2 = System.nanoTime();
        report(v, t0, t1, t2);
    }

    static void report(String v, long t0, long t1, long t2) throws Exception {
        if (!"bench-powertools-value-19ab".equals(v)) {
            throw new IllegalStateException("wrong value");
        }
        long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
        System.out.println("init_ms=" + (t1 - t0) / 1e6 + " first_ms=" + (t2 - t1) / 1e6 + " uptime_ms="
                + ManagementFactory.getRuntimeMXBean().getUptime() + " rss_kb=" + rss);
    }
}
