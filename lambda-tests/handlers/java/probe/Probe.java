package probe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import dev.paramsecrets.Stats;

/**
 * The lifecycle probe: what a function does with paramsecrets at INIT, chosen by PROBE_MODE
 * (client, init_read: see handlers/python/probe.py; bare is {@link Bare}, prefetch is
 * {@link Prefetch}). The handler reads both names first thing. Never a value: lengths only.
 */
public class Probe {
    private static final String MODE = System.getenv("PROBE_MODE");
    static final String PARAMETER = env("PROBE_PARAMETER", "/lifecycle/config");
    static final String SECRET = env("PROBE_SECRET", "lifecycle/creds");
    static final Client CLIENT;
    private static final Map<String, Object> INIT_READ;

    /** Nanos when this class's initialisation began: the module-scope code's own clock. */
    static final long T0 = System.nanoTime();
    /** How long the class initialisation (client, module-scope read, and Prefetch's prefetch) took. */
    static volatile double initCodeMs;

    static {
        try {
            CLIENT = Client.fromEnv();
        } catch (ParamSecretsException e) {
            throw new IllegalStateException("paramsecrets: " + e.code() + ": " + e.getMessage(), e);
        }
        Map<String, Object> initRead = null;
        if ("init_read".equals(MODE)) {
            initRead = new HashMap<>();
            long t0 = System.nanoTime();
            try {
                CLIENT.getParameter(PARAMETER);
                initRead.put("code", null);
            } catch (ParamSecretsException e) {
                initRead.put("code", e.code());
            }
            initRead.put("ms", (System.nanoTime() - t0) / 1e6);
        }
        INIT_READ = initRead;
        initCodeMs = (System.nanoTime() - T0) / 1e6;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    public Map<String, Object> handleRequest(Map<String, Object> event) {
        Map<String, Object> out = new HashMap<>();
        out.put("mode", MODE);
        out.put("init_read", INIT_READ);
        out.put("init_code_ms", initCodeMs);
        long t0 = System.nanoTime();
        try {
            out.put("lengths", List.of(CLIENT.getParameter(PARAMETER).length(),
                    CLIENT.getSecret(SECRET).length()));
            out.put("error", null);
        } catch (ParamSecretsException e) {
            out.put("lengths", null);
            out.put("error", e.code() + ": " + e.getMessage());
        }
        out.put("read_ms", (System.nanoTime() - t0) / 1e6);
        Stats s = CLIENT.stats();
        out.put("requests", s.requests());
        out.put("hits", s.hits());
        out.put("misses", s.misses());
        return out;
    }
}
