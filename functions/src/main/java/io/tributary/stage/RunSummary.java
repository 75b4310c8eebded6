package io.tributary.stage;

import java.time.Instant;
import java.util.Map;

/**
 * One run as the history keeps it. Counts are null until the run committed.
 *
 * @param status      {@code running}, {@code committed} or {@code failed}
 * @param endedAt     null while running
 * @param failedStage where a failed run failed ({@code transform chunk 2}), else null
 * @param source      {@code container/name} of the blob the run read, or null when extract fetched it
 */
public record RunSummary(String runId, String pipeline, String trigger, String status, Instant startedAt,
                         Instant endedAt, Long rowsIn, Long rowsOut, Long rowsRejected, Long bytes, String error,
                         String failedStage, String source, String definitionHash, Map<String, String> parameters,
                         String rerunOf) {

    public RunSummary {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
