package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.KeyRouting;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.CombineMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Combines one key bucket of a run that routes rows by key: downloads the rows every chunk routed to it, runs the
 * steps from the first that needs every row of a key, checks the expectations, uploads the parts and the rejects,
 * and records the bucket as done. The bucket that completes the set wins the create-only store claim and hands the
 * run to the store stage — exactly once.
 */
public final class CombineStage {

    private final RunStore runs;
    private final StageQueue queue;
    private final ChunkTransformer engine;
    private final ChunkAttempts attempts;
    private final PartUploads uploads;
    private final ReferenceFiles referenceFiles;

    public CombineStage(RunStore runs, StageQueue queue, ChunkTransformer engine, Path workRoot, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.engine = engine;
        this.attempts = new ChunkAttempts(runs, workRoot, clock);
        this.uploads = new PartUploads(runs.blobs());
        this.referenceFiles = new ReferenceFiles(runs.blobs());
    }

    /**
     * Combines the key bucket in {@code message}; a bucket already done is not done again.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(CombineMessage message, boolean lastAttempt) {
        RunId runId = message.runId();
        if (runs.outcome(runId).isPresent()
                || runs.failIfCancelled(runId, Stage.COMBINE, message.bucket(), java.time.Instant.now())) {
            return;
        }
        attempts.run(runId, Stage.COMBINE, message.bucket(), RunLayout.bucketResult(runId, message.bucket()), lastAttempt,
                work -> combine(message, work));
        handOffIfLast(message);
    }

    private ChunkAttempts.Computed combine(CombineMessage message, Path work) {
        RunId runId = message.runId();
        PipelineDefinition definition = runs.definition(runId);
        KeyRouting routing = KeyRouting.of(definition).orElseThrow(() -> new IllegalStateException("run " + runId
                + " routes rows by key, but its definition has no step or expectation that needs it"));
        Map<String, String> columns = Map.of();
        List<Path> files = new ArrayList<>();
        for (int chunk = 0; chunk < message.chunks(); chunk++) {
            int n = chunk;
            ChunkResult routed = runs.blobs().read(RunLayout.RUNS, RunLayout.chunkResult(runId, chunk))
                    .map(v -> Json.read(v.content(), ChunkResult.class))
                    .orElseThrow(() -> new IllegalStateException("chunk " + n + " of run " + runId + " is not done"));
            columns = routed.routedColumns();
            for (ChunkResult.Routed part : routed.routed()) {
                if (part.bucket() == message.bucket()) {
                    Path file = work.resolve("routed-" + chunk + ".parquet");
                    runs.blobs().download(new BlobRef(RunLayout.RUNS, part.blob(), null), file);
                    files.add(file);
                }
            }
        }
        Map<String, Path> references = referenceFiles.download(definition, message.references(), work);
        ChunkOutput output = engine.combine(definition, routing, columns, files, references, work);
        new BucketRejectTexts(runs).fill(output.rejects(), runId, definition.source(), work);
        // A bucket's rows come from every chunk: its rejects name the source the chunks read when they read one
        // (a file, or a fetch's spool), else the run's (a dataset run's parts: the upstream manifest).
        java.util.Set<BlobRef> read = runs.plan(runId).map(p -> p.chunks().stream().map(c -> c.source())
                .collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
        BlobRef source = read.size() == 1 && !RunLayout.isDecoded(read.iterator().next()) ? read.iterator().next()
                : runs.record(runId).map(io.tributary.run.RunRecord::source).orElse(null);
        if (source != null) {
            RejectSources.name(output.rejects(), source);
        }
        return () -> uploads.upload(definition, runId, message.bucket(), output,
                RunLayout.bucketRejectsPart(definition.name(), runId, message.bucket()), message.references());
    }

    /** Hands a run whose buckets are all combined to store (see {@link FanIn}). */
    private void handOffIfLast(CombineMessage message) {
        RunId runId = message.runId();
        FanIn.whenComplete(runs, runId, RunLayout.bucketsPrefix(runId), message.buckets(), RunLayout.storeClaim(runId),
                Stage.STORE, () -> queue.send(RunLayout.STORE_QUEUE, new StoreMessage(StoreMessage.VERSION, runId,
                        message.pipeline(), message.chunks(), message.buckets())));
    }
}
