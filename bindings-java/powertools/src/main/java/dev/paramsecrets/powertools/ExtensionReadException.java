package dev.paramsecrets.powertools;

import dev.paramsecrets.ParamSecretsException;

/**
 * A read through the extension failed. Unchecked, as Powertools' {@code get} declares nothing;
 * the cause is paramsecrets' typed exception ({@code NotFoundOrDeniedException},
 * {@code UnauthorizedException}, {@code NotReadyException}, ...), and {@link #code()} its stable
 * code. The message names the parameter or secret, never its value.
 */
public final class ExtensionReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExtensionReadException(ParamSecretsException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized ParamSecretsException getCause() {
        return (ParamSecretsException) super.getCause();
    }

    /** {@return the cause's code: {@code not_found_or_denied}, {@code unauthorized}, ...} */
    public String code() {
        return getCause().code();
    }
}
