package dev.paramsecrets;

/** Code {@code access_denied}: an explicit AccessDenied from the Secrets Manager Agent. */
public final class AccessDeniedException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "access_denied";

    AccessDeniedException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
