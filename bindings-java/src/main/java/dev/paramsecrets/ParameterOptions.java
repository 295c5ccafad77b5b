package dev.paramsecrets;

import java.time.Duration;

/**
 * Per-read options of a parameter, immutable: {@code ParameterOptions.defaults().version(2)}.
 *
 * @param decrypt    ask the extension to decrypt SecureString values (default true)
 * @param version    a version to read, or {@code null} for the latest
 * @param label      a label to read, or {@code null}
 * @param maxAge     accept a cached value at most this old (overrides the TTL for this read), or {@code null}
 * @param forceFetch skip the in-process cache and refill it
 */
public record ParameterOptions(boolean decrypt, Long version, String label, Duration maxAge, boolean forceFetch) {
    private static final ParameterOptions DEFAULTS = new ParameterOptions(true, null, null, null, false);

    public static ParameterOptions defaults() {
        return DEFAULTS;
    }

    public ParameterOptions decrypt(boolean decrypt) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    public ParameterOptions version(long version) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    public ParameterOptions label(String label) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    public ParameterOptions maxAge(Duration maxAge) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    public ParameterOptions forceFetch(boolean forceFetch) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }
}
