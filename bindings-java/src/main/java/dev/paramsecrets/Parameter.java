package dev.paramsecrets;

import java.time.Instant;

import dev.paramsecrets.ffi.NativeParameter;

/**
 * An SSM parameter with its metadata. {@link #toString()} never shows the value.
 *
 * @param name         the parameter's name
 * @param value        the value ({@code null} only for a binary secret read through
 *                     {@code /aws/reference/secretsmanager/...}: see {@code binary})
 * @param type         {@code String}, {@code StringList} or {@code SecureString}
 * @param version      the parameter version
 * @param arn          the ARN, when the extension sent it
 * @param lastModified when the parameter last changed, when sent
 * @param dataType     e.g. {@code text}, when sent
 * @param selector     {@code ":<version>"} or {@code ":<label>"} when a selector was used
 * @param binary       the bytes of a binary secret read through
 *                     {@code /aws/reference/secretsmanager/...}, else {@code null}
 */
public record Parameter(String name, String value, String type, long version, String arn,
                        Instant lastModified, String dataType, String selector, byte[] binary) {

    static Parameter from(NativeParameter p) {
        return new Parameter(p.name(), p.value(), p.parameterType(), p.version(), p.arn(),
                p.lastModifiedMs() == null ? null : Instant.ofEpochMilli(p.lastModifiedMs()),
                p.dataType(), p.selector(), p.binary());
    }

    @Override
    public String toString() {
        return "Parameter[name=" + name + ", " + (binary == null ? "value" : "binary")
                + "=[REDACTED], type=" + type + ", version=" + version
                + ", arn=" + arn + ", lastModified=" + lastModified + ", dataType=" + dataType
                + ", selector=" + selector + "]";
    }
}
