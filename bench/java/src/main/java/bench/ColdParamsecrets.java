package bench;

import dev.paramsecrets.Client;

/**
 * One fresh JVM: load paramsecrets (native library included), build a client, read one
 * parameter. Prints the in-process milliseconds from main() to the first value, and the JVM's
 * uptime at that point (JVM boot included).
 */
public final class ColdParamsecrets {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (Client c = Client.builder().port(Integer.parseInt(args[0])).token(args[1]).build()) {
            String v = c.getParameter("/bench/hit");
            long t1 = System.nanoTime();
            if (!"bench-hit-value".equals(v)) {
                throw new IllegalStateException("unexpected value");
            }
            long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            System.out.println("cold_ms=" + (t1 - t0) / 1e6 + " uptime_ms=" + uptime);
        }
    }
}
