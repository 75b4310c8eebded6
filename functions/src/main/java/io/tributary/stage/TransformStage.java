package io.tributary.stage;

import io.tributary.definition.LookupStep;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        sweepAbandoned();
    }

    /**
     * Removes work dirs an earlier process left behind when it died mid-chunk. No invocation runs an
     * hour (the function timeout is ten minutes), so an older dir belongs to nobody.
     */
    private void sweepAbandoned() {
        if (!Files.isDirectory(workRoot)) {
            return;
        }
        java.time.Instant cutoff = clock.instant().minus(java.time.Duration.ofHours(1));
        try (Stream<Path> dirs = Files.list(workRoot)) {
            dirs.filter(d -> {
                try {
                    return Files.getLastModifiedTime(d).toInstant().isBefore(cutoff);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(WorkDirs::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (!runs.chunkDone(runId, message.chunk())) {
            transform(message, lastAttempt);
        } else {
            // The attempt that recorded the chunk may have died before its report said so.
            reportDone(runId, message.chunk());
        }
        handOffIfLast(message);
    }

    /**
     * Makes the report of a recorded chunk say what the chunk did, not the "running" (or "failed") of an attempt that
     * died before saying so, or that failed or was overtaken because a duplicate delivery finished the chunk first.
     */
    private void reportDone(String runId, int chunk) {
        runs.blobs().read(RunLayout.RUNS, RunLayout.chunkResult(runId, chunk))
                .map(v -> Json.read(v.content(), ChunkResult.class))
                .ifPresent(done -> runs.reportSucceeded(runId, "transform", chunk, clock.instant(), done.rowsIn(),
                        done.rowsOut(), done.rowsRejected()));
    }

    private void transform(TransformMessage message, boolean lastAttempt) {
        String runId = message.runId();
        StageReport report = StageReport.running("transform", message.chunk(), clock.instant());
        // Unique per attempt: a duplicate delivery running at the same time must not share it.
        Path work = workRoot.resolve(runId + "-" + message.chunk() + "-" + UUID.randomUUID());
        try {
            runs.report(runId, report);
            PipelineDefinition definition = runs.definition(runId);
            WorkDirs.delete(work);
            Files.createDirectories(work);
            Path input = work.resolve("input");
            runs.blobs().download(message.source(), message.offset(), message.length(), input);
            ChunkOutput output = engine.transform(definition, runs.sourceSchema(runId, definition), input,
                    references(definition, message, work), work);
            if (runs.chunkDone(runId, message.chunk())) {
                // A duplicate delivery finished first; its part is the one the run records. This attempt's "running",
                // if it landed after that one's report, must not stay.
                reportDone(runId, message.chunk());
                return;
            }
            List<ChunkResult.Part> parts = new ArrayList<>();
            Map<String, Integer> perSplit = new HashMap<>();
            for (ChunkOutput.Part part : output.parts()) {
                int index = perSplit.merge(part.split() + "/" + part.partition(), 1, Integer::sum) - 1;
                String blob = RunLayout.dataPart(message.pipeline(), runId, part.split(), part.partition(),
                        message.chunk(), index, definition.output().extension());
                long bytes = runs.blobs().upload(RunLayout.TRAINING, blob, part.file());
                parts.add(new ChunkResult.Part(part.split(), blob, part.rows(), bytes));
            }
            String rejects = null;
            if (output.rowsRejected() > 0) {
                rejects = RunLayout.rejectsPart(message.pipeline(), runId, message.chunk());
                runs.blobs().upload(RunLayout.TRAINING, rejects, output.rejects());
            }
            ChunkResult result = new ChunkResult(message.chunk(), output.rowsIn(), output.rowsOut(),
                    output.rowsRejected(), output.schema(), parts, rejects, output.expectations(), output.statistics(),
                    message.references());
            runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.chunkResult(runId, message.chunk()), Json.bytes(result));
            runs.report(runId, report.succeeded(clock.instant(), output.rowsIn(), output.rowsOut(), output.rowsRejected()));
        } catch (TransformFailedException | SourceChangedException e) {
            // Retrying cannot help: the definition does not fit the data, or the data is gone.
            if (runs.chunkDone(runId, message.chunk())) {
                reportDone(runId, message.chunk());
            } else {
                runs.attemptFailed(runId, report, Failures.reason(e), true, clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            if (runs.chunkDone(runId, message.chunk())) {
                reportDone(runId, message.chunk()); // a duplicate delivery finished the chunk: this attempt's failure changes nothing
                return;
            }
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            WorkDirs.delete(work);
        }
    }

    /** Downloads each lookup's reference, at the version the run pinned, into the work dir; by engine table name. */
    private Map<String, Path> references(PipelineDefinition definition, TransformMessage message, Path work) {
        List<LookupStep> lookups = definition.lookups();
        if (lookups.size() != message.references().size()) {
            throw new IllegalStateException("the run pinned " + message.references().size() + " lookup references "
                    + "but its definition has " + lookups.size() + " lookup steps");
        }
        Map<String, Path> files = new HashMap<>();
        for (int i = 0; i < lookups.size(); i++) {
            LookupStep lookup = lookups.get(i);
            Path file = work.resolve(lookup.table() + lookup.extension());
            try {
                runs.blobs().download(message.references().get(i), file);
            } catch (SourceChangedException e) {
                throw new SourceChangedException("the lookup reference '" + lookup.from() + "' was changed or deleted "
                        + "after the run was planned, so its chunks could join different rows; start the run again", e);
            }
            files.put(lookup.table(), file);
        }
        return files;
    }

    /**
     * Hands a complete run to store: the chunk that wins the create-only claim sends the message; a
     * later delivery sends it again only if the winner is not known to have sent it (it crashed).
     */
    private void handOffIfLast(TransformMessage message) {
        String runId = message.runId();
        int done = runs.blobs().list(RunLayout.RUNS, RunLayout.chunksPrefix(runId)).size();
        if (done != message.chunks()) {
            return;
        }
        boolean won = runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.storeClaim(runId), new byte[0]);
        if (won || (!runs.handedOff(runId, "store") && runs.outcome(runId).isEmpty())) {
            queue.send(RunLayout.STORE_QUEUE, new StoreMessage(runId, message.pipeline(), message.chunks()));
            runs.markHandedOff(runId, "store");
        }
    }
}
