package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.TransformFailedException;
import io.tributary.run.ChunkResult;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.StageReport;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Transforms one chunk: streams its bytes to a private working directory, runs the engine on them,
 * uploads the Parquet part and the rejects, then records the chunk as done. The chunk that completes
 * the set wins the create-only store claim and hands the run to the store stage — exactly once.
 */
public final class TransformStage {

    private final RunStore runs;
    private final StageQueue queue;
    private final ChunkTransformer engine;
    private final Path workRoot;
    private final Clock clock;

    public TransformStage(RunStore runs, StageQueue queue, ChunkTransformer engine, Path workRoot, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.engine = engine;
        this.workRoot = workRoot;
        this.clock = clock;
    }

    /**
     * Transforms the chunk in {@code message}; a chunk already done is not done again.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(TransformMessage message, boolean lastAttempt) {
        String runId = message.runId();
        if (runs.outcome(runId).isPresent()) {
            return;
        }
        BlobStore blobs = runs.blobs();
        if (blobs.read(RunLayout.RUNS, RunLayout.chunkResult(runId, message.chunk())).isEmpty()) {
            transform(message, lastAttempt);
        }
        handOffIfLast(message);
    }

    private void transform(TransformMessage message, boolean lastAttempt) {
        String runId = message.runId();
        StageReport report = StageReport.running("transform", message.chunk(), clock.instant());
        runs.report(runId, report);
        Path work = workRoot.resolve(runId + "-" + message.chunk() + "-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId());
        try {
            PipelineDefinition definition = runs.definition(runId);
            deleteTree(work);
            Files.createDirectories(work);
            Path input = work.resolve("input.csv");
            runs.blobs().download(message.source(), message.offset(), message.length(), input);
            ChunkOutput output = engine.transform(definition, input, work);
            String part = RunLayout.dataPart(message.pipeline(), runId, message.chunk());
            long bytes = runs.blobs().upload(RunLayout.TRAINING, part, output.parquet());
            String rejects = null;
            if (output.rowsRejected() > 0) {
                rejects = RunLayout.rejectsPart(message.pipeline(), runId, message.chunk());
                runs.blobs().upload(RunLayout.TRAINING, rejects, output.rejects());
            }
            ChunkResult result = new ChunkResult(message.chunk(), output.rowsIn(), output.rowsOut(),
                    output.rowsRejected(), bytes, output.schema(), part, rejects);
            runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.chunkResult(runId, message.chunk()), Json.bytes(result));
            runs.report(runId, report.succeeded(clock.instant(), output.rowsIn(), output.rowsOut(), output.rowsRejected()));
        } catch (TransformFailedException | SourceChangedException e) {
            // Retrying cannot help: the definition does not fit the data, or the data is gone.
            runs.attemptFailed(runId, report, e.getMessage(), true, clock.instant());
        } catch (IOException e) {
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw e;
        } finally {
            deleteTree(work);
        }
    }

    private void handOffIfLast(TransformMessage message) {
        String runId = message.runId();
        int done = runs.blobs().list(RunLayout.RUNS, RunLayout.chunksPrefix(runId)).size();
        if (done == message.chunks()
                && runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.storeClaim(runId), new byte[0])) {
            queue.send(RunLayout.STORE_QUEUE, new StoreMessage(runId, message.pipeline(), message.chunks()));
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
