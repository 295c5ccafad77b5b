package dev.paramsecrets;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of every error paramsecrets reports. {@link #code()} is the stable code of DESIGN §5
 * ({@code not_found}, {@code unauthorized}, ...); each code has its own subclass. Messages name the
 * parameter or secret, never its value or the token.
 */
public abstract sealed class ParamSecretsException extends Exception
        permits InvalidArgumentException, MissingTokenException, UnauthorizedException,
                NotFoundException, NotFoundOrDeniedException, AccessDeniedException,
                NotReadyException, UnavailableException, ThrottledException, TimeoutException,
                UpstreamException, ProtocolException, InternalException {

    /** The stable error code (serialised with the exception). */
    private final String code;
    /** The HTTP status of the last response, or {@code null} when there was none. */
    private final Integer status;
    /** The AWS error type, or {@code null} when none was given. */
    private final String awsType;
    /** HTTP attempts made before giving up. */
    private final int attempts;

    ParamSecretsException(String code, String message, Integer status, String awsType, int attempts, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.awsType = awsType;
        this.attempts = attempts;
    }

    /** {@return the stable error code, e.g. {@code "not_found"}} */
    public String code() {
        return code;
    }

    /** {@return the HTTP status of the last response, when there was one} */
    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** {@return the AWS error type ({@code __type} of the Secrets Manager Agent), when given} */
    public Optional<String> awsType() {
        return Optional.ofNullable(awsType);
    }

    /** {@return the HTTP attempts made before giving up (0 when no request was made)} */
    public int attempts() {
        return attempts;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + code + (status == null ? "" : ", status " + status) + "]: " + getMessage();
    }
}
