package io.tributary.functions;

import io.tributary.run.RunId;
import com.microsoft.azure.functions.ExecutionContext;
import io.tributary.run.LogContext;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.stage.RunStore;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * The one path every queue-triggered stage function takes: know whether this is the message's last attempt, bind the
 * run to the log, call the stage, log what it did; on failure record the attempt (and, on the last one, fail the run)
 * and rethrow, so the host retries or poisons the message.
 */
final class StageInvocation {

    /** A stage's work for one message: what it did, as the line to log. */
    @FunctionalInterface
    interface Work {
        String run(boolean lastAttempt);
    }

    private final RunStore runs;
    private final int maxDequeueCount;
    private final Clock clock;

    /**
     * @param runs            the runs whose attempts it records
     * @param maxDequeueCount the attempts the host makes per queue message
     * @param clock           the time a run failed at
     */
    StageInvocation(RunStore runs, int maxDequeueCount, Clock clock) {
        this.runs = runs;
        this.maxDequeueCount = maxDequeueCount;
        this.clock = clock;
    }

    /**
     * Runs {@code work} for the message of run {@code runId} of {@code pipeline}, delivered {@code dequeueCount}
     * times, to {@code stage} for its chunk or bucket {@code piece} (-1 for none).
     */
    void run(ExecutionContext context, long dequeueCount, Stage stage, String pipeline, RunId runId, int piece,
             Work work) {
        boolean lastAttempt = dequeueCount >= maxDequeueCount;
        try (LogContext.Scope scope = LogContext.open(runId, pipeline, stage, piece)) {
            String done;
            try {
                done = work.run(lastAttempt);
            } catch (RuntimeException e) {
                attemptFailed(context.getLogger(), dequeueCount, lastAttempt, pipeline, runId, stage, piece, e);
                throw e;
            }
            context.getLogger().info(LogContext.tag(done));
        }
    }

    /**
     * After a stage's attempt failed with {@code error}: logs it on {@code log}, tagged with the bound run; on the last
     * attempt also fails the run, naming the stage and chunk, unless the
     * stage already recorded an outcome, and raises the run's poisoned-message alert (its message goes to
     * {@code pipeline-STAGE-poison}). The stages record their own failures; this catches a failure before the
     * stage could (its definition snapshot did not read, storage failed before its report, its hand-off failed).
     * A message that does not parse names no run and only goes to the poison queue.
     */
    private void attemptFailed(Logger log, long dequeueCount, boolean lastAttempt, String pipeline, RunId runId,
                               Stage stage, int chunk, RuntimeException error) {
        log.warning(LogContext.tag(stage + " attempt " + dequeueCount + " of " + maxDequeueCount
                + " failed" + (lastAttempt ? ", the last: the run fails and the message goes to "
                + RunLayout.poisonQueue(stage.queue()) : "; the host retries it") + ": "
                + runs.secrets(runId).mask(String.valueOf(error))));
        if (!lastAttempt) {
            return;
        }
        try {
            runs.failUnended(runId, stage, chunk, error, clock.instant());
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
        runs.alerts().poisoned(pipeline, runId, stage, chunk, stage.queue(), error);
    }
}
