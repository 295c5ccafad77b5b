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

    /** {@return the defaults: decrypted, latest version, no label, the client's TTL, cache used} */
    public static ParameterOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return these options with {@code decrypt} set}
     *
     * @param decrypt whether to ask for SecureString values decrypted ({@code false}: the ciphertext)
     */
    public ParameterOptions decrypt(boolean decrypt) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    /**
     * {@return these options reading one version}
     *
     * @param version the parameter version to read
     */
    public ParameterOptions version(long version) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    /**
     * {@return these options reading the version with this label}
     *
     * @param label the label to read, or {@code null} for none
     */
    public ParameterOptions label(String label) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    /**
     * {@return these options accepting a cached value at most {@code maxAge} old}
     *
     * @param maxAge the oldest cached value this read accepts, or {@code null} for the client's TTL
     */
    public ParameterOptions maxAge(Duration maxAge) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }

    /**
     * {@return these options with {@code forceFetch} set}
     *
     * @param forceFetch whether to skip the in-process cache and refill it
     */
    public ParameterOptions forceFetch(boolean forceFetch) {
        return new ParameterOptions(decrypt, version, label, maxAge, forceFetch);
    }
}
