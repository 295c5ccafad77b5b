package dev.paramsecrets;

/** Code {@code upstream}: another 5xx or AWS error; see {@link #status()} and {@link #awsType()}. */
public final class UpstreamException extends ParamSecretsException {
    /** The code this class stands for. */
    public static final String CODE = "upstream";

    UpstreamException(String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(CODE, message, status, awsType, attempts, cause);
    }
}
