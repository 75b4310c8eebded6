package io.tributary.fetch;

/**
 * A source that could not be read, classified so that a run's status says what kind of trouble it met and
 * whether trying again may help.
 */
public final class SourceException extends RuntimeException {

    /** The kinds of trouble a source meets. */
    public enum Kind {
        /** The host, port or database cannot be reached, or did not answer in time. Retrying may help. */
        UNREACHABLE(true),
        /** The source refused the credentials (HTTP 401/403, a login failure). Fix the setting it names. */
        CREDENTIALS(false),
        /** The source answered with something that is not what the definition says (not JSON, no records path). */
        MALFORMED_RESPONSE(false),
        /** The source kept failing (HTTP 429/5xx) after every attempt the definition allows. Retrying may help. */
        UNAVAILABLE(true),
        /** A response or the data exceeded a configured limit. */
        TOO_LARGE(false),
        /** The source rejected the request or query itself (HTTP 4xx, an SQL error). */
        REJECTED(false),
        /** The definition or the app settings do not allow a fetch (a missing setting, a missing parameter). */
        CONFIGURATION(false);

        private final boolean transient_;

        Kind(boolean transient_) {
            this.transient_ = transient_;
        }

        /** Whether a later attempt may succeed without anything being changed. */
        public boolean isTransient() {
            return transient_;
        }

        /** The kind as a status shows it, e.g. {@code malformed response}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    private final Kind kind;
    private final boolean retryable;

    /**
     * @param retryable whether a later delivery of the work should fetch the source again: false when the fetcher
     *                  already tried as often as the definition allows, or the source asked to wait longer than a
     *                  fetch waits
     */
    public SourceException(Kind kind, String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.kind = kind;
        this.retryable = retryable;
    }

    /** A failure that a later delivery tries again when its kind {@link Kind#isTransient() is transient}. */
    public SourceException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, kind.isTransient());
    }

    public SourceException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * A failure after which a later delivery must not fetch the source again: the fetcher already tried as often as
     * the definition allows, or the source asked to wait longer than a fetch waits.
     */
    static SourceException noRedelivery(Kind kind, String message, Throwable cause) {
        return new SourceException(kind, message, cause, false);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether a later delivery of the work should fetch the source again. By default, whether the kind is
     * transient; false for a transient failure the fetcher already retried as often as the definition allows.
     */
    public boolean retryable() {
        return retryable;
    }

    /** The message prefixed with its kind, as a run's status shows it. */
    public String describe() {
        return kind.label() + ": " + getMessage();
    }
}
