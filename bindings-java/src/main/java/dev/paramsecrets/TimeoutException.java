package dev.paramsecrets;

/** Code {@code timeout}: a request or the overall deadline timed out. */
public final class TimeoutException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "timeout";

    TimeoutException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
