package dev.paramsecrets;

import java.time.Duration;

/**
 * Per-read options of a secret, immutable: {@code SecretOptions.defaults().versionStage("AWSPREVIOUS")}.
 *
 * @param versionId    a version id to read, or {@code null}
 * @param versionStage a staging label to read (e.g. {@code AWSPREVIOUS}), or {@code null}
 * @param maxAge       accept a cached value at most this old (overrides the TTL for this read), or {@code null}
 * @param forceFetch   skip the in-process cache and refill it
 */
public record SecretOptions(String versionId, String versionStage, Duration maxAge, boolean forceFetch) {
    private static final SecretOptions DEFAULTS = new SecretOptions(null, null, null, false);

    /** {@return the defaults: the current version ({@code AWSCURRENT}), the client's TTL, cache used} */
    public static SecretOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return these options reading one version id}
     *
     * @param versionId the version id to read, or {@code null} for none
     */
    public SecretOptions versionId(String versionId) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    /**
     * {@return these options reading the version with this staging label}
     *
     * @param versionStage the staging label to read (e.g. {@code AWSPREVIOUS}), or {@code null} for none
     */
    public SecretOptions versionStage(String versionStage) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    /**
     * {@return these options accepting a cached value at most {@code maxAge} old}
     *
     * @param maxAge the oldest cached value this read accepts, or {@code null} for the client's TTL
     */
    public SecretOptions maxAge(Duration maxAge) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    /**
     * {@return these options with {@code forceFetch} set}
     *
     * @param forceFetch whether to skip the in-process cache and refill it
     */
    public SecretOptions forceFetch(boolean forceFetch) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }
}
