package dev.paramsecrets;

/**
 * One result of a batch read ({@link Client#getParameters}, {@link Client#getSecrets}): the value,
 * or the error of this one key, so that one failure does not hide the others.
 *
 * @param key    the parameter name or secret id, as requested
 * @param result the record, or {@code null} when {@code error} is set
 * @param error  the failure of this key, or {@code null}
 * @param <T>    the record type: {@link Parameter} or {@link Secret}
 */
public record BatchResult<T>(String key, T result, ParamSecretsException error) {

    /** {@return whether this key was read ({@link #result()} set, {@link #error()} null)} */
    public boolean isOk() {
        return error == null;
    }

    /**
     * The record, or this key's exception.
     *
     * @return the record read for this key
     * @throws ParamSecretsException this key's failure ({@link #error()})
     */
    public T get() throws ParamSecretsException {
        if (error != null) {
            throw error;
        }
        return result;
    }

    @Override
    public String toString() {
        return "BatchResult[key=" + key + ", " + (error == null ? "result=" + result : "error=" + error) + "]";
    }
}
