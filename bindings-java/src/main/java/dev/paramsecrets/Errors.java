package dev.paramsecrets;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps core's error codes onto the {@link ParamSecretsException} hierarchy (the one place that does). */
final class Errors {
    private Errors() {}

    /** The native cause's text (e.g. a socket error), carried as the exception's cause. */
    static final class NativeCause extends Exception {
        NativeCause(String message) {
            super(message, null, false, false);
        }
    }

    static ParamSecretsException from(String code, String m, Integer status, String t, int n, Throwable c) {
        switch (code) {
            case InvalidArgumentException.CODE: return new InvalidArgumentException(m, status, t, n, c);
            case MissingTokenException.CODE: return new MissingTokenException(m, status, t, n, c);
            case UnauthorizedException.CODE: return new UnauthorizedException(m, status, t, n, c);
            case NotFoundException.CODE: return new NotFoundException(m, status, t, n, c);
            case NotFoundOrDeniedException.CODE: return new NotFoundOrDeniedException(m, status, t, n, c);
            case AccessDeniedException.CODE: return new AccessDeniedException(m, status, t, n, c);
            case NotReadyException.CODE: return new NotReadyException(m, status, t, n, c);
            case UnavailableException.CODE: return new UnavailableException(m, status, t, n, c);
            case ThrottledException.CODE: return new ThrottledException(m, status, t, n, c);
            case TimeoutException.CODE: return new TimeoutException(m, status, t, n, c);
            case UpstreamException.CODE: return new UpstreamException(m, status, t, n, c);
            case ProtocolException.CODE: return new ProtocolException(m, status, t, n, c);
            case InternalException.CODE: return new InternalException(m, status, t, n, c);
            default: return new InternalException(m + " (code " + code + ")", status, t, n, c);
        }
    }

    /** Whatever a future failed with, as the exception callers should see. */
    static Throwable translate(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException(message, null, null, 0, null);
    }
}
