package io.tributary.engine;

/**
 * The definition could not be applied to the data (an expression that does not run, a column missing
 * at run time), or the data is not in the format the definition declares. Retrying the same input cannot
 * succeed; the message says which step or what in the input, and why.
 */
public class TransformFailedException extends RuntimeException {

    private final boolean wrongFormat;

    public TransformFailedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private TransformFailedException(String message, Throwable cause, boolean wrongFormat) {
        super(message, cause);
        this.wrongFormat = wrongFormat;
    }

    /** The input cannot be read as the format the definition declares (not gzip, not Parquet, not JSON, …). */
    public static TransformFailedException wrongFormat(String message, Throwable cause) {
        return new TransformFailedException(message, cause, true);
    }

    /** The same failure, of the same kind, told by {@code message} (this one as its cause). */
    TransformFailedException withMessage(String message) {
        return new TransformFailedException(message, this, wrongFormat);
    }

    /** This failure, classified alike, with {@code where} (the source it is about, say) before its message. */
    public TransformFailedException at(String where) {
        return withMessage(where + ": " + getMessage());
    }

    /** Whether the input is not in the declared format, rather than the definition not fitting it. */
    public boolean isWrongFormat() {
        return wrongFormat;
    }

    /** The message, classified as a run's status shows it: {@code wrong format: …} for an input in another format. */
    public String describe() {
        return wrongFormat ? "wrong format: " + getMessage() : getMessage();
    }
}
