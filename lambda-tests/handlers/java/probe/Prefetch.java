package probe;

import java.util.List;
import java.util.Map;

import dev.paramsecrets.ParamSecretsException;

/**
 * The lifecycle probe in prefetch mode: {@link Probe}'s client, plus a prefetch of the parameter
 * and the secret at class initialisation (INIT). A class of its own, so the other probes build
 * against a package without {@code prefetch}.
 */
public class Prefetch {
    static {
        try {
            Probe.CLIENT.prefetch(List.of(Probe.PARAMETER), List.of(Probe.SECRET));
            Probe.initCodeMs = (System.nanoTime() - Probe.T0) / 1e6;
        } catch (ParamSecretsException e) {
            throw new IllegalStateException("paramsecrets: " + e.code() + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Object> handleRequest(Map<String, Object> event) {
        return new Probe().handleRequest(event);
    }
}
