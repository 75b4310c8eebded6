package io.tributary.port;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A compute that could not do what was asked, classified as a source's failures are: the message starts with the kind
 * ({@code credentials: …}, {@code unavailable: …}, {@code rejected: …}), names the workspace and the job, and says
 * what to do. It never carries a token.
 */
public final class JobException extends RuntimeException {

    /** The kinds of trouble a compute call meets. */
    public enum Kind {
        /** The workspace refused the app's identity (401/403), or no token could be had for it. */
        CREDENTIALS,
        /** The service did not answer, or kept answering 429/5xx, within what one call waits. */
        UNAVAILABLE,
        /** The request was refused as it is (a job that is not there, a pool that does not exist, a bad body). */
        REJECTED;

        /** The kind as a message starts with it, e.g. {@code credentials}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final boolean retryable;
    private final Duration retryAfter;

    /**
     * @param message    what happened, without the kind, which is prefixed here
     * @param retryable  whether asking again later may succeed
     * @param retryAfter how long the service asked to wait, or null
     */
    public JobException(Kind kind, String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(kind.label() + ": " + message, cause);
        this.kind = kind;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public JobException(Kind kind, String message, boolean retryable, Throwable cause) {
        this(kind, message, retryable, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the service asked to wait before the next call, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
