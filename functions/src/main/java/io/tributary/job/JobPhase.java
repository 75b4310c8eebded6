package io.tributary.job;

import java.util.Locale;

/**
 * Where an external job stands, in Tributary's words; each compute maps its own states onto these (and keeps its own
 * text in {@link JobState#state()}).
 */
public enum JobPhase {
    /** Accepted, not running yet: queued, pending, a cluster starting. */
    QUEUED,
    /** Running, or finishing. */
    RUNNING,
    /** Done, and it succeeded. */
    SUCCEEDED,
    /** Done, and it failed (an error, a timeout the engine enforced, an internal error of the engine). */
    FAILED,
    /** Done: someone or something cancelled it. */
    CANCELED;

    /** Whether the job is over: it will not change again. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    /** {@code queued}, {@code running}, … as status, history and the dashboard show it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
