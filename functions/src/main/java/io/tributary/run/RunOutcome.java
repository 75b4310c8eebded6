package io.tributary.run;

import java.time.Instant;

/**
 * How a run ended: {@code committed} or {@code failed}; written once.
 *
 * @param stage the stage that failed, or null
 * @param chunk the chunk (for {@code combine}, the key bucket) that failed, or -1
 * @param error why it failed, or null
 */
public record RunOutcome(RunState status, Instant at, Stage stage, int chunk, String error) {

    /**
     * What the log line of a failed run says before its run id ({@link #failedLogLine}): the Azure Monitor alert on
     * failed runs (infra/modules/alerts.bicep) looks for it in Application Insights' {@code traces}.
     */
    public static final String FAILED_LOG_MARKER = "run failed: ";

    public static RunOutcome committed(Instant at) {
        return new RunOutcome(RunState.COMMITTED, at, null, -1, null);
    }

    public static RunOutcome failed(Instant at, Stage stage, int chunk, String error) {
        return new RunOutcome(RunState.FAILED, at, stage, chunk, error);
    }

    /** Where the run failed, as people read it: {@code store}, {@code transform chunk 2}, {@code combine key bucket 0}. */
    public String place() {
        return stage + (chunk < 0 ? "" : (stage == Stage.COMBINE ? " key bucket " : " chunk ") + chunk);
    }

    /**
     * The line logged once when a failed outcome is recorded: {@code run failed: RUN of pipeline P in STAGE: ERROR}.
     * It names the run itself, since the outcome may be recorded outside the run's own invocation (an abandoned run).
     */
    public String failedLogLine(String pipeline, RunId runId) {
        return FAILED_LOG_MARKER + runId + " of pipeline " + pipeline + " in " + place() + ": " + error;
    }
}
