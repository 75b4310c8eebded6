package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.KeyRouting;
import io.tributary.engine.RoutedChunk;
import io.tributary.port.StageQueue;
import io.tributary.run.SourceSchema;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.CombineMessage;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Transforms one chunk: streams its bytes to a private working directory, runs the engine on them,
 * uploads the Parquet parts (or, when the run routes rows by key, the rows of each key bucket) and the rejects, then
 * records the chunk as done. The chunk that completes the set wins a create-only claim and hands the run on — to
 * combine, or to store — exactly once.
 */
public final class TransformStage {

    private final RunStore runs;
    private final StageQueue queue;
    private final ChunkTransformer engine;
    private final ChunkAttempts attempts;
    private final PartUploads uploads;
    private final ReferenceFiles referenceFiles;

    public TransformStage(RunStore runs, StageQueue queue, ChunkTransformer engine, Path workRoot, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.engine = engine;
        this.attempts = new ChunkAttempts(runs, workRoot, clock);
        this.uploads = new PartUploads(runs.blobs());
        this.referenceFiles = new ReferenceFiles(runs.blobs());
    }

    /**
     * Transforms the chunk in {@code message}; a chunk already done is not done again.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(TransformMessage message, boolean lastAttempt) {
        RunId runId = message.runId();
        if (runs.outcome(runId).isPresent()
                || runs.failIfCancelled(runId, Stage.TRANSFORM, message.chunk(), java.time.Instant.now())) {
            return;
        }
        attempts.run(runId, Stage.TRANSFORM, message.chunk(), RunLayout.chunkResult(runId, message.chunk()), lastAttempt,
                work -> transform(message, work));
        handOffIfLast(message);
    }

    /**
     * Transforms the chunk into parts of the dataset, or, when its run routes rows by key, runs the steps before the
     * key and routes the rows into the run's key buckets.
     */
    private ChunkAttempts.Computed transform(TransformMessage message, Path work) throws IOException {
        RunId runId = message.runId();
        PipelineDefinition snapshot = runs.definition(runId);
        // A transform job's output files are read as the job wrote them.
        PipelineDefinition declared = RunLayout.isJobOutput(message.source()) ? snapshot.transformInput() : snapshot;
        Path input = download(message, work);
        SourceSchema schema = runs.sourceSchema(runId, declared);
        // A chunk of the decoded source is read as decoded; its rejects name the source as it was dropped.
        boolean decoded = RunLayout.isDecoded(message.source());
        PipelineDefinition definition = decoded && declared.source().isText()
                ? declared.withSource(declared.source().decoded()) : declared;
        BlobRef source = decoded ? runs.record(runId).map(io.tributary.run.RunRecord::source).orElse(message.source())
                : message.source();
        Map<String, Path> references = referenceFiles.download(definition, message.references(), work);
        if (message.buckets() == 0) {
            ChunkOutput output = engine.transform(definition, schema, input, message.lineOffset(), references, work);
            RejectSources.name(output.rejects(), source);
            return () -> uploads.upload(definition, runId, message.chunk(), output,
                    RunLayout.rejectsPart(definition.name(), runId, message.chunk()), message.references());
        }
        KeyRouting routing = KeyRouting.of(definition).orElseThrow(() -> new IllegalStateException("run " + runId
                + " routes rows by key, but its definition has no step or expectation that needs it"));
        RoutedChunk routed = engine.route(definition, schema, input, message.lineOffset(), references, routing,
                message.buckets(), work);
        RejectSources.name(routed.rejects(), source);
        return () -> uploadRouted(definition, message, routed);
    }

    /** Uploads a chunk's routed rows, one blob per key bucket, and its rejects; says what was uploaded. */
    private ChunkResult uploadRouted(PipelineDefinition definition, TransformMessage message, RoutedChunk routed) {
        RunId runId = message.runId();
        List<ChunkResult.Routed> blobs = new ArrayList<>();
        String attempt = UUID.randomUUID().toString();
        for (RoutedChunk.Bucket bucket : routed.buckets()) {
            String name = RunLayout.routedPart(runId, bucket.bucket(), message.chunk(), attempt);
            runs.blobs().upload(RunLayout.RUNS, name, bucket.file());
            blobs.add(new ChunkResult.Routed(bucket.bucket(), name, bucket.rows()));
        }
        String rejects = null;
        if (routed.rowsRejected() > 0) {
            rejects = RunLayout.rejectsPart(definition.name(), runId, message.chunk());
            runs.blobs().upload(RunLayout.TRAINING, rejects, routed.rejects());
        }
        long rowsRouted = blobs.stream().mapToLong(ChunkResult.Routed::rows).sum();
        return new ChunkResult(message.chunk(), routed.rowsIn(), rowsRouted, routed.rowsRejected(), List.of(),
                List.of(), rejects, List.of(), List.of(), message.references(), blobs, routed.columns());
    }

    /** Downloads the chunk's bytes, after the source's header when the chunk needs it, into the work dir. */
    private Path download(TransformMessage message, Path work) throws IOException {
        Path input = work.resolve("input");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input), 1 << 20)) {
            runs.blobs().download(message.source(), 0, message.header(), out);
            runs.blobs().download(message.source(), message.offset(), message.length(), out);
        }
        return input;
    }

    /**
     * Hands a run whose chunks are all done on: to combine, one message per key bucket, when it routes rows by key;
     * else to store (see {@link FanIn}).
     */
    private void handOffIfLast(TransformMessage message) {
        RunId runId = message.runId();
        if (message.buckets() == 0) {
            FanIn.whenComplete(runs, runId, RunLayout.chunksPrefix(runId), message.chunks(), RunLayout.storeClaim(runId),
                    Stage.STORE, () -> queue.send(RunLayout.STORE_QUEUE,
                            new StoreMessage(runId, message.pipeline(), message.chunks())));
            return;
        }
        FanIn.whenComplete(runs, runId, RunLayout.chunksPrefix(runId), message.chunks(), RunLayout.combineClaim(runId),
                Stage.COMBINE, () -> {
                    for (int bucket = 0; bucket < message.buckets(); bucket++) {
                        queue.send(RunLayout.COMBINE_QUEUE, new CombineMessage(runId, message.pipeline(), bucket,
                                message.buckets(), message.chunks(), message.references()));
                    }
                });
    }
}
