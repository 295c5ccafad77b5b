package dev.paramsecrets;

/** Code {@code unavailable}: nothing listening, or connection failures after retries. */
public final class UnavailableException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "unavailable";

    UnavailableException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
