package bench;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * One fresh JVM: load the AWS SDK for Java v2 and build an {@code SsmClient} (no request: this
 * machine has no route to AWS). Same output format as {@link ColdParamsecrets}.
 */
public final class ColdAwsSdk {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        try (SsmClient ssm = SsmClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example")))
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .build()) {
            long t1 = System.nanoTime();
            if (ssm.serviceName() == null) {
                throw new IllegalStateException();
            }
            long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            System.out.println("cold_ms=" + (t1 - t0) / 1e6 + " uptime_ms=" + uptime);
        }
    }
}
