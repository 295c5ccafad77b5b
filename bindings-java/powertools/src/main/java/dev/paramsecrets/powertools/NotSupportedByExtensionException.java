package dev.paramsecrets.powertools;

/**
 * A Powertools call the Parameters and Secrets Lambda Extension cannot serve (it has no
 * GetParametersByPath and no AppConfig). Thrown at once, never an empty result;
 * {@link #powertoolsProvider()} names the Powertools provider to keep for that call.
 */
public final class NotSupportedByExtensionException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;
    /** The call the extension cannot serve (serialised with the exception). */
    private final String operation;
    /** The Powertools provider class to keep for that call. */
    private final String powertoolsProvider;

    NotSupportedByExtensionException(String operation, String powertoolsProvider, String detail) {
        super(operation + " is not supported by the Parameters and Secrets Lambda Extension: " + detail);
        this.operation = operation;
        this.powertoolsProvider = powertoolsProvider;
    }

    /** {@return the call, e.g. {@code getMultiple}} */
    public String operation() {
        return operation;
    }

    /** {@return the Powertools provider class to keep for this call, e.g. {@code ...ssm.SSMProvider}} */
    public String powertoolsProvider() {
        return powertoolsProvider;
    }
}
