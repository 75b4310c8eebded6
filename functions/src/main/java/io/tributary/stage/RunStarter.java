package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Starts runs. A run starts exactly once per run id: the create-only run record decides, so a
 * trigger that fires twice for one cause starts nothing the second time. A second firing only hands
 * the run to extract again when the first hand-off is not known to have happened (it crashed between
 * the record and the message): extract is idempotent, a stranded run is not recoverable. A started run is marked
 * active for its pipeline's concurrency limit ({@link ConcurrencyGate}) until its outcome is recorded.
 */
public final class RunStarter {

    private final RunStore runs;
    private final StageQueue queue;
    private final Clock clock;
    private final ConcurrencyGate gate;

    public RunStarter(RunStore runs, StageQueue queue, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.clock = clock;
        this.gate = new ConcurrencyGate(runs, clock, ConcurrencyGate.DEFAULT_STALE);
    }

    /** Whether a call started the run or found it already started. */
    public record Started(String runId, String pipeline, boolean isNew) {
    }

    /**
     * Starts run {@code runId} of {@code pipeline} over {@code source}, snapshotting the definition
     * so that every stage of the run uses the same one.
     *
     * @param source     the blob the run reads, or null when extract fetches the source (REST, SQL)
     * @param trigger    {@code fileDrop}, {@code schedule}, {@code manual} or {@code backfill}
     * @param parameters the run's parameters (see {@link RunRecord#parameters()})
     */
    public Started start(PipelineDefinition pipeline, String runId, BlobRef source, String trigger,
                         Map<String, String> parameters) {
        return start(pipeline, runId, source, trigger, parameters, null);
    }

    /** As {@link #start(PipelineDefinition, String, BlobRef, String, Map)}, for a run that reruns {@code rerunOf}. */
    public Started start(PipelineDefinition pipeline, String runId, BlobRef source, String trigger,
                         Map<String, String> parameters, String rerunOf) {
        return start(pipeline, runId, source, trigger, parameters, rerunOf, null);
    }

    /**
     * As {@link #start(PipelineDefinition, String, BlobRef, String, Map)}, for a run of a {@code dataset} trigger
     * that reads the dataset of {@code upstream}, whose {@code _manifest.json} is {@code source}.
     */
    public Started start(PipelineDefinition pipeline, String runId, BlobRef source, RunRecord.Upstream upstream) {
        return start(pipeline, runId, source, "dataset", Map.of(), null, upstream);
    }

    /** As {@link #start(PipelineDefinition, String, BlobRef, String, Map, String)}, reading {@code upstream}'s dataset. */
    Started start(PipelineDefinition pipeline, String runId, BlobRef source, String trigger,
                  Map<String, String> parameters, String rerunOf, RunRecord.Upstream upstream) {
        BlobStore blobs = runs.blobs();
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.definition(runId),
                pipeline.text().getBytes(StandardCharsets.UTF_8));
        RunRecord record = new RunRecord(runId, pipeline.name(), trigger, source, pipeline.hash(), clock.instant(),
                parameters, rerunOf, upstream);
        boolean isNew = blobs.createIfAbsent(RunLayout.RUNS, RunLayout.runRecord(runId), Json.bytes(record));
        if (isNew || (!runs.handedOff(runId, "extract") && runs.outcome(runId).isEmpty())) {
            gate.register(pipeline.name(), runId);
            RunRecord stored = isNew ? record : runs.record(runId).orElseThrow();
            // Before the hand-off: should the history write fail, the trigger's retry comes back here.
            runs.indexStarted(stored);
            BlobRef started = stored.source();
            queue.send(RunLayout.EXTRACT_QUEUE, new ExtractMessage(runId, pipeline.name(), started));
            runs.markHandedOff(runId, "extract");
        }
        return new Started(runId, pipeline.name(), isNew);
    }
}
