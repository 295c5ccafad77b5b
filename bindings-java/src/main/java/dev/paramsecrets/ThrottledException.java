package dev.paramsecrets;

/** Code {@code throttled}: 429 or ThrottlingException after retries. */
public final class ThrottledException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "throttled";

    ThrottledException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
