package dev.paramsecrets;

import java.time.Instant;
import java.util.List;

/**
 * A Secrets Manager secret with its metadata: exactly one of {@link #string()} and
 * {@link #binary()} is non-null. {@link #toString()} never shows the value.
 *
 * @param name          the secret's friendly name, when sent
 * @param arn           the ARN, when sent
 * @param versionId     the version id, when sent
 * @param versionStages the staging labels (e.g. {@code AWSCURRENT})
 * @param createdDate   when this version was created, when sent
 * @param string        the {@code SecretString}, or {@code null} for a binary secret
 * @param binary        the decoded {@code SecretBinary}, or {@code null} for a string secret
 */
public record Secret(String name, String arn, String versionId, List<String> versionStages,
                     Instant createdDate, String string, byte[] binary) {

    /** {@return whether the secret is binary ({@link #binary()} set) rather than a string} */
    public boolean isBinary() {
        return binary != null;
    }

    @Override
    public String toString() {
        return "Secret[name=" + name + ", arn=" + arn + ", versionId=" + versionId
                + ", versionStages=" + versionStages + ", createdDate=" + createdDate
                + ", " + (binary != null ? "binary" : "string") + "=[REDACTED]]";
    }
}
