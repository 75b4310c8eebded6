package io.tributary.run;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What started a run; written once, when the run starts.
 *
 * @param trigger        {@code fileDrop}, {@code schedule}, {@code manual}, {@code backfill}, {@code rerun} or {@code dataset}
 * @param source         the blob the run reads, or null when extract fetches the source (REST, SQL)
 * @param definitionHash the hash of the definition snapshot the run uses
 * @param parameters     the run's parameters, by name: a schedule's {@code windowStart} and {@code windowEnd}, a
 *                       file drop's path captures, those given by hand; URLs and queries may use them
 * @param rerunOf        the failed run this run starts over from the start ({@code tributary rerun --from-start}),
 *                       or null
 * @param upstream       the committed run of another pipeline whose dataset this run reads (a {@code dataset}
 *                       trigger), or null
 */
public record RunRecord(RunId runId, String pipeline, String trigger, BlobRef source, String definitionHash,
                        Instant startedAt, Map<String, String> parameters, RunId rerunOf, Upstream upstream) {

    /** The upstream run a dataset-triggered run reads: its pipeline and run id. */
    public record Upstream(String pipeline, RunId runId) {
    }

    public RunRecord {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    public RunRecord(RunId runId, String pipeline, String trigger, BlobRef source, String definitionHash,
                     Instant startedAt, Map<String, String> parameters) {
        this(runId, pipeline, trigger, source, definitionHash, startedAt, parameters, null, null);
    }

    public RunRecord(RunId runId, String pipeline, String trigger, BlobRef source, String definitionHash,
                     Instant startedAt, Map<String, String> parameters, RunId rerunOf) {
        this(runId, pipeline, trigger, source, definitionHash, startedAt, parameters, rerunOf, null);
    }
}
