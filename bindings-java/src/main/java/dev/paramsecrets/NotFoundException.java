package dev.paramsecrets;

/** Code {@code not_found}: a definite not-found (the Agent's ResourceNotFound / ParameterNotFound). */
public final class NotFoundException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "not_found";

    NotFoundException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
