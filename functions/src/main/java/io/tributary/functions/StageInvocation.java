package io.tributary.functions;

import io.tributary.run.RunId;
import com.microsoft.azure.functions.ExecutionContext;
import io.tributary.run.LogContext;

/**
 * The one path every queue-triggered stage function takes: get the app, know whether this is the message's last
 * attempt, bind the run to the log, call the stage, log what it did; on failure let the app record the attempt
 * (and, on the last one, fail the run) and rethrow, so the host retries or poisons the message.
 */
final class StageInvocation {

    /** A stage's work for one message: what it did, as the line to log. */
    @FunctionalInterface
    interface Work {
        String run(FunctionApp app, boolean lastAttempt);
    }

    private StageInvocation() {
    }

    /**
     * Runs {@code work} for the message of run {@code runId} of {@code pipeline}, delivered {@code dequeueCount}
     * times, to {@code stage} for its chunk or bucket {@code piece} (-1 for none).
     */
    static void run(ExecutionContext context, long dequeueCount, String stage, String pipeline, RunId runId, int piece,
                    Work work) {
        FunctionApp app = FunctionApp.get();
        boolean lastAttempt = app.isLastAttempt(dequeueCount);
        try (LogContext.Scope scope = LogContext.open(runId, pipeline, stage, piece)) {
            String done;
            try {
                done = work.run(app, lastAttempt);
            } catch (RuntimeException e) {
                app.attemptFailed(context.getLogger(), dequeueCount, lastAttempt, pipeline, runId, stage, piece, e);
                throw e;
            }
            context.getLogger().info(LogContext.tag(done));
        }
    }
}
