package io.tributary.port;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One run as the history keeps it. Counts are null until the run committed.
 *
 * @param status      {@code running}, {@code committed} or {@code failed}
 * @param endedAt     null while running
 * @param failedStage where a failed run failed ({@code transform chunk 2}), else null
 * @param source      {@code container/name} of the blob the run read, or null when extract fetched it
 * @param waitedMillis how long a resumed run waited between failing and being resumed, in all; null when it never was
 */
public record RunSummary(RunId runId, String pipeline, String trigger, RunState status, Instant startedAt,
                         Instant endedAt, Long rowsIn, Long rowsOut, Long rowsRejected, Long bytes, String error,
                         String failedStage, String source, String definitionHash, Map<String, String> parameters,
                         RunId rerunOf, Long waitedMillis) {

    public RunSummary {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** A run that was never resumed. */
    public RunSummary(RunId runId, String pipeline, String trigger, RunState status, Instant startedAt, Instant endedAt,
                      Long rowsIn, Long rowsOut, Long rowsRejected, Long bytes, String error, String failedStage,
                      String source, String definitionHash, Map<String, String> parameters, RunId rerunOf) {
        this(runId, pipeline, trigger, status, startedAt, endedAt, rowsIn, rowsOut, rowsRejected, bytes, error,
                failedStage, source, definitionHash, parameters, rerunOf, null);
    }

    /** The time the run worked: from its start to its end, less the waits before its reruns; null while running. */
    public Duration workingTime() {
        if (endedAt == null) {
            return null;
        }
        return Duration.between(startedAt, endedAt).minusMillis(waitedMillis == null ? 0 : waitedMillis);
    }
}
