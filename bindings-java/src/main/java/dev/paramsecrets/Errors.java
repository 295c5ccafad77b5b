package dev.paramsecrets;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.paramsecrets.ffi.ErrorInfo;
import dev.paramsecrets.ffi.NativeException;

/** Translates the generated {@code NativeException} into the {@link ParamSecretsException} hierarchy. */
final class Errors {
    private Errors() {}

    /** The native cause's text (e.g. a socket error), carried as the exception's cause. */
    static final class NativeCause extends Exception {
        NativeCause(String message) {
            super(message, null, false, false);
        }
    }

    static ParamSecretsException from(ErrorInfo info) {
        Integer status = info.status() == null ? null : Short.toUnsignedInt(info.status());
        String m = info.detail();
        String t = info.awsType();
        int n = info.attempts();
        Throwable c = info.cause() == null ? null : new NativeCause(info.cause());
        return switch (info.code()) {
            case InvalidArgumentException.CODE -> new InvalidArgumentException(m, status, t, n, c);
            case MissingTokenException.CODE -> new MissingTokenException(m, status, t, n, c);
            case UnauthorizedException.CODE -> new UnauthorizedException(m, status, t, n, c);
            case NotFoundException.CODE -> new NotFoundException(m, status, t, n, c);
            case NotFoundOrDeniedException.CODE -> new NotFoundOrDeniedException(m, status, t, n, c);
            case AccessDeniedException.CODE -> new AccessDeniedException(m, status, t, n, c);
            case NotReadyException.CODE -> new NotReadyException(m, status, t, n, c);
            case UnavailableException.CODE -> new UnavailableException(m, status, t, n, c);
            case ThrottledException.CODE -> new ThrottledException(m, status, t, n, c);
            case TimeoutException.CODE -> new TimeoutException(m, status, t, n, c);
            case UpstreamException.CODE -> new UpstreamException(m, status, t, n, c);
            case ProtocolException.CODE -> new ProtocolException(m, status, t, n, c);
            default -> new InternalException(m + " (code " + info.code() + ")", status, t, n, c);
        };
    }

    static ParamSecretsException from(NativeException e) {
        if (e instanceof NativeException.Failed f) {
            return from(f.info());
        }
        return new InternalException("unexpected native error " + e.getClass().getName(), null, null, 0, null);
    }

    /** Whatever a future failed with, as the exception callers should see. */
    static Throwable translate(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NativeException e) {
            return from(e);
        }
        if (t instanceof dev.paramsecrets.ffi.InternalException e) {
            return new InternalException("paramsecrets failed unexpectedly: " + e.getMessage(), null, null, 0, null);
        }
        return t;
    }

    static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException(message, null, null, 0, null);
    }
}
