import dev.paramsecrets.BatchResult;
import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import dev.paramsecrets.Parameter;
import dev.paramsecrets.ParameterOptions;
import dev.paramsecrets.Secret;
import dev.paramsecrets.SecretOptions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java soak driver (soak/README.md): one long-lived JVM reading through the paramsecrets jar
 * against the emulator that soak/run.py starts, restarts and feeds new store generations.
 *
 * <p>Four threads make sync reads and chains of {@code ...Async} reads on one shared client. Every
 * value is {@code <name>#g<generation>}; each read is checked against the generation log in
 * SOAK_GENS. One JSON line per second on stdout: reads, wrong values and errors by code since the
 * last line, and the heap in use right after a {@code System.gc()} (every 5 s). No value is ever
 * printed.
 */
public final class Soak {
    static final double SECONDS = env("SOAK_SECONDS", 60);
    static final double TTL = env("SOAK_TTL", 2);
    static final double STALE = env("SOAK_STALE", 3);
    static final double WINDOW = env("SOAK_WINDOW", 10);
    static final List<String> PARAMS = new ArrayList<>();
    static final List<String> SECRETS = new ArrayList<>();
    static volatile Map<Long, Double> starts = new TreeMap<>();
    static final AtomicLong READS = new AtomicLong();
    static final AtomicLong WRONG = new AtomicLong();
    static final ConcurrentHashMap<String, AtomicLong> ERRORS = new ConcurrentHashMap<>();
    static final List<String> BAD = new ArrayList<>();
    static volatile boolean stop;
    /** The error codes an injected outage causes (soak/run.py judges when they are allowed). */
    static final java.util.Set<String> INJECTED = java.util.Set.of("unavailable", "not_ready", "timeout");

    static double env(String k, double d) {
        String v = System.getenv(k);
        return v == null ? d : Double.parseDouble(v);
    }

    static void reloadGens() {
        Map<Long, Double> m = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Path.of(System.getenv().getOrDefault("SOAK_GENS", "")))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    m.put(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        starts = m;
    }

    static String checkOnce(String name, String value) {
        int at = value == null ? -1 : value.lastIndexOf("#g");
        if (at < 0) {
            return name + ": value not in the soak format";
        }
        if (!value.substring(0, at).equals(name)) {
            return name + ": value of another name";
        }
        long gen;
        try {
            gen = Long.parseLong(value.substring(at + 2));
        } catch (NumberFormatException e) {
            return name + ": unparsable generation";
        }
        Map<Long, Double> s = starts;
        if (!s.containsKey(gen)) {
            return name + ": generation " + gen + " unknown (from the future)";
        }
        Double next = s.get(gen + 1);
        double now = System.currentTimeMillis() / 1000.0;
        if (next != null && next < now - WINDOW) {
            return String.format("%s: generation %d superseded %.1f s ago (window %.1f s)", name, gen, now - next, WINDOW);
        }
        return null;
    }

    static String check(String name, String value) {
        String why = checkOnce(name, value);
        if (why != null && why.contains("unknown")) {
            reloadGens();
            why = checkOnce(name, value);
        }
        return why;
    }

    static void record(String name, String value, Throwable error) {
        READS.incrementAndGet();
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error != null) {
            String code = error instanceof ParamSecretsException p ? p.code() : error.getClass().getSimpleName();
            ERRORS.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
            if (!INJECTED.contains(code)) {
                note(code + ": " + error.getMessage());
            }
            return;
        }
        String why = check(name, value);
        if (why != null) {
            WRONG.incrementAndGet();
            note(why);
        }
    }

    /** Keeps a few reasons per report (names, generations and error messages: never a value). */
    static void note(String why) {
        synchronized (BAD) {
            if (BAD.size() < 5) {
                BAD.add(why);
            }
        }
    }

    interface Read {
        String get() throws ParamSecretsException;
    }

    static void read(String name, Read r) {
        try {
            record(name, r.get(), null);
        } catch (ParamSecretsException e) {
            record(name, null, e);
        }
    }

    static String pick(List<String> l) {
        return l.get(ThreadLocalRandom.current().nextInt(l.size()));
    }

    static List<String> sample(List<String> l, int k) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        while (s.size() < k) {
            s.add(pick(l));
        }
        return new ArrayList<>(s);
    }

    static void paramBatch(List<BatchResult<Parameter>> items) {
        for (BatchResult<Parameter> it : items) {
            record(it.key(), it.isOk() ? it.result().value() : null, it.error());
        }
    }

    static void secretBatch(List<BatchResult<Secret>> items) {
        for (BatchResult<Secret> it : items) {
            record(it.key(), it.isOk() ? it.result().string() : null, it.error());
        }
    }

    static void op(Client c, List<String> hotP, List<String> hotS) throws ParamSecretsException {
        int r = ThreadLocalRandom.current().nextInt(1000);
        if (r < 650) {
            String n = pick(hotP);
            read(n, () -> c.getParameter(n));
        } else if (r < 800) {
            String n = pick(PARAMS);
            read(n, () -> c.getParameter(n));
        } else if (r < 830) {
            String n = pick(r < 820 ? hotS : SECRETS);
            read(n, () -> c.getSecret(n));
        } else if (r < 850) {
            String n = pick(hotP);
            read(n, () -> c.getParameter(n, ParameterOptions.defaults().forceFetch(true)));
        } else if (r < 880) {
            paramBatch(c.getParameters(sample(PARAMS, 8)));
        } else if (r < 890) {
            secretBatch(c.getSecrets(sample(SECRETS, 4)));
        } else if (r < 900) {
            c.invalidateParameter(pick(hotP));
            c.invalidateSecret(pick(hotS));
        } else if (r < 902) {
            c.clearCache();
        } else if (r < 910) {
            c.prefetch(sample(PARAMS, 4), List.of(pick(SECRETS)));
        } else if (r < 920) {
            String n = pick(hotP);
            read(n, () -> c.getParameter(n, ParameterOptions.defaults().maxAge(Duration.ofMillis(500))));
        } else {
            // The async API: a few reads in flight at once, joined.
            List<String> names = List.of(pick(hotP), pick(PARAMS), pick(PARAMS));
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (String n : names) {
                fs.add(c.getParameterAsync(n).handle((v, e) -> {
                    record(n, v, e);
                    return null;
                }));
            }
            String id = pick(SECRETS);
            fs.add(c.getSecretAsync(id, SecretOptions.defaults().forceFetch(r > 990)).handle((v, e) -> {
                record(id, v, e);
                return null;
            }));
            if (r > 980) {
                fs.add(c.getParametersAsync(sample(PARAMS, 8)).handle((v, e) -> {
                    if (e != null) {
                        record("batch", null, e);
                    } else {
                        paramBatch(v);
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).join();
        }
    }

    static long heap = -1;

    /** The heap in use right after a full collection (every 5 s, as Node's driver does). */
    static void measureHeap() {
        System.gc();
        heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void report() {
        StringBuilder errors = new StringBuilder();
        for (Map.Entry<String, AtomicLong> e : new TreeMap<>(ERRORS).entrySet()) {
            long v = e.getValue().getAndSet(0);
            if (v > 0) {
                errors.append(errors.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":").append(v);
            }
        }
        StringBuilder bad = new StringBuilder();
        synchronized (BAD) {
            for (String b : BAD) {
                bad.append(bad.length() == 0 ? "" : ",").append('"').append(b.replace('"', '\'').replace('\\', '/')).append('"');
            }
            BAD.clear();
        }
        System.out.printf("{\"t\":%.3f,\"reads\":%d,\"wrong\":%d,\"errors\":{%s},\"heap\":%s,\"bad\":[%s]}%n",
                System.currentTimeMillis() / 1000.0, READS.getAndSet(0), WRONG.getAndSet(0), errors,
                heap < 0 ? "null" : Long.toString(heap), bad);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < (int) env("SOAK_PARAMS", 400); i++) {
            PARAMS.add(String.format("/soak/p/%04d", i));
        }
        for (int i = 0; i < (int) env("SOAK_SECRETS", 40); i++) {
            SECRETS.add(String.format("soak/s/%03d", i));
        }
        List<String> hotP = PARAMS.subList(0, Math.min(8, PARAMS.size()));
        List<String> hotS = SECRETS.subList(0, Math.min(4, SECRETS.size()));
        reloadGens();
        Client client = Client.builder()
                .ttl(Duration.ofMillis((long) (TTL * 1000)))
                .staleIfError(Duration.ofMillis((long) (STALE * 1000)))
                .cacheSize((long) env("SOAK_CACHE", 64))
                .build();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                while (!stop) {
                    try {
                        for (int i = 0; i < 20 && !stop; i++) {
                            op(client, hotP, hotS);
                        }
                        Thread.sleep(5);
                    } catch (ParamSecretsException e) {
                        record("prefetch", null, e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "soak-" + t);
            th.start();
            threads.add(th);
        }
        long end = System.currentTimeMillis() + (long) (SECONDS * 1000);
        int tick = 0;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(500);
            reloadGens();
            if (++tick % 10 == 0) {
                measureHeap();
            }
            if (tick % 2 == 0) {
                report();
            }
        }
        stop = true;
        for (Thread th : threads) {
            th.join(10_000);
        }
        client.close();
        report();
    }
}
