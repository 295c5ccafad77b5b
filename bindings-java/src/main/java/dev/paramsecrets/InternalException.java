package dev.paramsecrets;

/** Code {@code internal}: a bug in paramsecrets (a caught panic). Never expected: please report it. */
public final class InternalException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "internal";

    InternalException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
