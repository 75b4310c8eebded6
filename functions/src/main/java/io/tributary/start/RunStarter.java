package io.tributary.start;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.stage.ConcurrencyGate;
import io.tributary.stage.RunStore;
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
    public record Started(RunId runId, String pipeline, boolean isNew) {
    }

    /**
     * Starts run {@code runId} of {@code pipeline} over {@code source}, snapshotting the definition
     * so that every stage of the run uses the same one.
     *
     * @param source     the blob the run reads, or null when extract fetches the source (REST, SQL)
     * @param trigger    {@code fileDrop}, {@code schedule}, {@code manual} or {@code backfill}
     * @param parameters the run's parameters (see {@link RunRecord#parameters()})
     */
    public Started start(PipelineDefinition pipeline, RunId runId, BlobRef source, String trigger,
                         Map<String, String> parameters) {
        return start(pipeline, runId, source, trigger, parameters, null);
    }

    /** As {@link #start(PipelineDefinition, String, BlobRef, String, Map)}, for a run that reruns {@code rerunOf}. */
    public Started start(PipelineDefinition pipeline, RunId runId, BlobRef source, String trigger,
                         Map<String, String> parameters, RunId rerunOf) {
        return start(pipeline, runId, source, trigger, parameters, rerunOf, null);
    }

    /**
     * As {@link #start(PipelineDefinition, String, BlobRef, String, Map)}, for a run of a {@code dataset} trigger
     * that reads the dataset of {@code upstream}, whose {@code _manifest.json} is {@code source}.
     */
    public Started start(PipelineDefinition pipeline, RunId runId, BlobRef source, RunRecord.Upstream upstream) {
        return start(pipeline, runId, source, "dataset", Map.of(), null, upstream);
    }

    /** As {@link #start(PipelineDefinition, String, BlobRef, String, Map, String)}, reading {@code upstream}'s dataset. */
    Started start(PipelineDefinition pipeline, RunId runId, BlobRef source, String trigger,
                  Map<String, String> parameters, RunId rerunOf, RunRecord.Upstream upstream) {
        BlobStore blobs = runs.blobs();
        boolean snapshot = blobs.createIfAbsent(RunLayout.RUNS, RunLayout.definition(runId),
                pipeline.text().getBytes(StandardCharsets.UTF_8));
        RunRecord record = new RunRecord(runId, pipeline.name(), trigger, source, pipeline.hash(), clock.instant(),
                parameters, rerunOf, upstream);
        boolean isNew;
        try {
            isNew = blobs.createIfAbsent(RunLayout.RUNS, RunLayout.runRecord(runId), Json.bytes(record));
        } catch (RuntimeException e) {
            undo(new Written(pipeline.name(), runId, snapshot, false, false), e);
            throw e;
        }
        if (isNew || (!runs.handedOff(runId, Stage.EXTRACT) && runs.outcome(runId).isEmpty())) {
            Written written = new Written(pipeline.name(), runId, snapshot, isNew, false);
            RunRecord stored = record;
            try {
                written = written.marked(gate.register(pipeline.name(), runId));
                stored = isNew ? record : runs.record(runId).orElseThrow();
                // Before the hand-off: should the history write fail, the start is undone; a retry starts it afresh.
                runs.indexStarted(stored);
            } catch (RuntimeException e) {
                undo(written, e);
                throw e;
            }
            // Not undone when it fails: a send that failed may still have been delivered, and extract is idempotent;
            // the trigger's retry comes back here and sends again.
            queue.send(RunLayout.EXTRACT_QUEUE, new ExtractMessage(runId, pipeline.name(), stored.source()));
            runs.markHandedOff(runId, Stage.EXTRACT);
        }
        return new Started(runId, pipeline.name(), isNew);
    }

    /** What a start wrote before it failed: the definition snapshot and run record it created, the marker it set. */
    private record Written(String pipeline, RunId runId, boolean snapshot, boolean record, boolean marker) {

        Written marked(boolean marker) {
            return new Written(pipeline, runId, snapshot, record, marker);
        }
    }

    /**
     * Undoes a start that failed before its hand-off to extract (a write the history refused, storage that failed), so
     * that nothing of it holds the pipeline: the active marker it set (the next run would wait behind it until it
     * counted as lost, a day later), and the run record and snapshot it created (a retry starts the run afresh). What
     * another delivery of the same trigger wrote is left alone. Each step is tried on its own: the storage that failed
     * the start may fail the undo too, and the failure that matters is the start's.
     */
    private void undo(Written written, RuntimeException cause) {
        BlobStore blobs = runs.blobs();
        if (written.marker()) {
            String marker = RunLayout.activeRun(written.pipeline(), written.runId());
            quietly(cause, () -> blobs.delete(RunLayout.STATE, marker));
        }
        // Another delivery of the trigger may have found the record and handed the run off meanwhile: keep it then.
        boolean handedOff = runs.handedOff(written.runId(), Stage.EXTRACT);
        if (written.record() && !handedOff) {
            quietly(cause, () -> blobs.delete(RunLayout.RUNS, RunLayout.runRecord(written.runId())));
        }
        if (written.snapshot() && !handedOff) {
            quietly(cause, () -> blobs.delete(RunLayout.RUNS, RunLayout.definition(written.runId())));
        }
    }

    private static void quietly(RuntimeException cause, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
