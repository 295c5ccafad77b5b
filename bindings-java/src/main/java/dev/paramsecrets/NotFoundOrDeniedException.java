package dev.paramsecrets;

/** Code {@code not_found_or_denied}: the managed extension's generic 400: not found, access denied or a bad version (check the extension's CloudWatch logs and the function's IAM policy). */
public final class NotFoundOrDeniedException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "not_found_or_denied";

    NotFoundOrDeniedException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
