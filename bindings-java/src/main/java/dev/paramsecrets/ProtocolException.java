package dev.paramsecrets;

/** Code {@code protocol}: a response the client cannot parse, or one over the size cap (also: a value that is not valid JSON for the JSON readers). */
public final class ProtocolException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "protocol";

    ProtocolException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
