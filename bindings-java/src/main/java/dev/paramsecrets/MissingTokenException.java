package dev.paramsecrets;

/** Code {@code missing_token}: no token source was found; the message names the variables tried. */
public final class MissingTokenException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "missing_token";

    MissingTokenException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
