package io.tributary.engine;

/**
 * The definition could not be applied to the data (an expression that does not run, a column missing
 * at run time). Retrying the same input cannot succeed; the message says which step and why.
 */
public class TransformFailedException extends RuntimeException {
    public TransformFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
