package bench.powertools;

import dev.paramsecrets.Client;
import dev.paramsecrets.powertools.ParamSecretsSsmProvider;

/**
 * One fresh JVM: build our provider (the paramsecrets client on the emulator), then its first
 * read. Prints init_ms (main's start to the provider built: class loading, native library,
 * client), first_ms, uptime_ms at the end and rss_kb. Args: port token.
 */
public final class ColdOurs {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        ParamSecretsSsmProvider provider = ParamSecretsSsmProvider.builder()
                .withClient(Client.builder().port(Integer.parseInt(args[0])).token(args[1]).build()).build();
        long t1 = System.nanoTime();
        String v = provider.get("/bench/powertools");
        long t2 = System.nanoTime();
        ColdPowertools.report(v, t0, t1, t2);
    }
}
