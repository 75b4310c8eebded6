package io.tributary.port;

import java.util.Locale;

/**
 * A data asset version that could not be registered, classified as a source's failures are: the message starts with
 * the kind ({@code credentials: …}, {@code rejected: …}, {@code unavailable: …}), names the asset, its version and the
 * workspace, and says what to do. It never carries a token.
 */
public final class DataAssetException extends RuntimeException {

    /** The kinds of trouble a registration meets. */
    public enum Kind {
        /** The workspace refused the app's identity (HTTP 401/403), or no token could be had for it. */
        CREDENTIALS,
        /** The workspace is not there, the version conflicts with the one registered, or the request was refused. */
        REJECTED,
        /** The service did not answer, or kept answering 429/5xx, within what a registration waits. */
        UNAVAILABLE;

        /** The kind as a message starts with it, e.g. {@code credentials}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final boolean retryable;

    /**
     * @param message   what happened, without the kind, which is prefixed here
     * @param retryable whether a later delivery of the work should register again
     */
    public DataAssetException(Kind kind, String message, boolean retryable, Throwable cause) {
        super(kind.label() + ": " + message, cause);
        this.kind = kind;
        this.retryable = retryable;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a later attempt may succeed without anything being changed (the queue's redelivery tries again). */
    public boolean retryable() {
        return retryable;
    }
}
