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

    public static SecretOptions defaults() {
        return DEFAULTS;
    }

    public SecretOptions versionId(String versionId) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    public SecretOptions versionStage(String versionStage) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    public SecretOptions maxAge(Duration maxAge) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }

    public SecretOptions forceFetch(boolean forceFetch) {
        return new SecretOptions(versionId, versionStage, maxAge, forceFetch);
    }
}
