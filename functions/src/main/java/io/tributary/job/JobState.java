package io.tributary.job;

import java.util.Objects;

/**
 * What a compute says of a job when asked.
 *
 * @param phase   where it stands, in Tributary's words
 * @param state   the engine's own state, as its API says it: {@code TERMINATED/FAILED}, {@code dead}, {@code Failed}
 * @param message the engine's own message about it (why it failed), or empty
 * @param link    the engine's page for the job (its run page, its Spark UI, its studio page), or empty
 */
public record JobState(JobPhase phase, String state, String message, String link) {
    public JobState {
        Objects.requireNonNull(phase, "phase");
        state = state == null ? "" : state;
        message = message == null ? "" : message;
        link = link == null ? "" : link;
    }
}
