package probe;

import java.util.Map;

/** The lifecycle probe's baseline: a handler that uses no paramsecrets class at all. */
public class Bare {
    public Map<String, Object> handleRequest(Map<String, Object> event) {
        return Map.of("mode", "bare", "init_code_ms", 0.0);
    }
}
