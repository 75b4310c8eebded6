package io.tributary.run;

import java.util.Objects;

/**
 * Asks the job stage to submit one attempt of one job step of a run, or, once submitted, to check on it again. A
 * check is sent delayed, so that no invocation waits on a job.
 *
 * @param step    the job's name: {@code transform}, or an {@code onCommit} job's
 * @param attempt which attempt of the step: 1, and one more for each rerun of a failed step
 * @param check   0 to submit; else the number of this check, which the job's record must not have passed (a
 *                redelivered or duplicated check finds its number taken and drops out)
 * @param source  for the transform, the source the run's extract message named (the extract it goes back to once
 *                the job's output is there); null after the commit
 */
public record JobMessage(int version, RunId runId, String pipeline, String step, int attempt, int check,
                         BlobRef source) implements StageMessage {
    public JobMessage {
        StageMessage.check(version, runId, pipeline);
        Objects.requireNonNull(step, "step");
        if (attempt < 1 || check < 0) {
            throw new IllegalArgumentException("attempt " + attempt + ", check " + check + " of job " + step
                    + " is not a valid job message");
        }
    }

    public JobMessage(RunId runId, String pipeline, String step, int attempt, int check, BlobRef source) {
        this(VERSION, runId, pipeline, step, attempt, check, source);
    }

    /** The message for the next check. */
    public JobMessage next() {
        return new JobMessage(version, runId, pipeline, step, attempt, check + 1, source);
    }
}
