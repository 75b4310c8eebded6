package io.tributary.run;

import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt of one job step of a run, as the run's folder keeps it ({@code tributary-runs/{runId}/jobs/{step}-
 * {attempt}.json}): the external job it started, and what its compute said when last asked. Written create-only
 * when the job is submitted, then replaced (if unchanged since read) by each check.
 *
 * @param step       {@code transform}, or an {@code onCommit} job's name
 * @param index      where the step reports among the run's stages: 0 for the transform, 1 + its place for onCommit
 * @param code       what the job runs, for status and lineage ({@code notebook /Shared/clean})
 * @param handle     the external job
 * @param timeoutSeconds how long the job may run from {@code handle.submittedAt()}
 * @param checks     how many checks have been made; the next check message carries this plus one
 * @param checkedAt  when its compute was last asked, or null
 * @param unanswered how many checks in a row found its compute unavailable (throttling, 5xx, no answer)
 * @param state      what its compute last said
 * @param ended      when Tributary saw it end (or cancelled it), or null while it runs
 * @param outcome    why the step failed as Tributary says it (the timeout, the engine's state and message), or null
 */
public record JobRecord(String step, int index, int attempt, String code, JobHandle handle, long timeoutSeconds,
                        int checks, Instant checkedAt, int unanswered, JobState state, Instant ended,
                        String outcome) {

    public JobRecord {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(state, "state");
    }

    /** The record of a job just submitted. */
    public static JobRecord submitted(String step, int index, int attempt, String code, JobHandle handle,
                                      Duration timeout) {
        return new JobRecord(step, index, attempt, code, handle, timeout.toSeconds(), 0, null, 0,
                new JobState(JobPhase.QUEUED, "submitted", "", handle.link()), null, null);
    }

    /** When the job runs out of time. */
    public Instant deadline() {
        return handle.submittedAt().plusSeconds(timeoutSeconds);
    }

    /** This record after check {@code number}, which found {@code now}. */
    public JobRecord checked(int number, Instant at, JobState now) {
        return new JobRecord(step, index, attempt, code, handle, timeoutSeconds, number, at, 0,
                now.link().isEmpty() ? new JobState(now.phase(), now.state(), now.message(), state.link()) : now,
                now.phase().terminal() ? at : null, outcome);
    }

    /** This record after check {@code number}, which could not reach the compute. */
    public JobRecord unanswered(int number, Instant at) {
        return new JobRecord(step, index, attempt, code, handle, timeoutSeconds, number, at, unanswered + 1, state,
                ended, outcome);
    }

    /** This record once the step ended as Tributary says {@code why} (null when it succeeded). */
    public JobRecord ended(Instant at, JobState last, String why) {
        return new JobRecord(step, index, attempt, code, handle, timeoutSeconds, checks, checkedAt, unanswered, last,
                at, why);
    }

    public boolean isOver() {
        return ended != null;
    }
}
