package dev.paramsecrets;

/** Code {@code unauthorized}: 401/403: the token is missing, wrong or rejected. */
public final class UnauthorizedException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "unauthorized";

    UnauthorizedException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
