package dev.paramsecrets;

/** Code {@code invalid_argument}: a bad name, id or option (including {@code null}), caught before any request. */
public final class InvalidArgumentException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "invalid_argument";

    InvalidArgumentException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
