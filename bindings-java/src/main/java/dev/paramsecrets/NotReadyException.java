package dev.paramsecrets;

/** Code {@code not_ready}: the extension still answered "not ready" when the readiness deadline ran out. */
public final class NotReadyException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "not_ready";

    NotReadyException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
