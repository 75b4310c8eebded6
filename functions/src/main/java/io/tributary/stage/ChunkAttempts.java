package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.engine.TransformFailedException;
import io.tributary.port.SourceChangedException;
import io.tributary.run.ChunkResult;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/**
 * Runs one attempt at one piece of a run — a chunk, or a key bucket — whose result is a create-only blob: reports
 * it running, works in a private directory, keeps the result of whichever delivery finished first, and reports how
 * it went. A failure that retrying cannot mend fails the run at once; another fails it on the host's last attempt.
 */
final class ChunkAttempts {

    /** The work of one attempt: computes in {@code dir}, then makes its outputs durable in {@link Computed#upload}. */
    interface Work {
        Computed compute(Path dir) throws IOException;
    }

    /** Computed outputs, still local: uploading them makes them durable and says what they are. */
    interface Computed {
        ChunkResult upload();
    }

    private final RunStore runs;
    private final Path workRoot;
    private final Clock clock;

    ChunkAttempts(RunStore runs, Path workRoot, Clock clock) {
        this.runs = runs;
        this.workRoot = workRoot;
        this.clock = clock;
    }

    /**
     * Runs {@code work} as stage {@code stage}'s piece {@code index} of run {@code runId}, recording its result at
     * {@code result} in the runs container; a piece recorded already is not done again.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    void run(RunId runId, Stage stage, int index, String result, boolean lastAttempt, Work work) {
        if (done(result)) {
            // Done already; the attempt that recorded it may have died before its report said so.
            reportDone(runId, stage, index, result);
            return;
        }
        StageReport report = StageReport.running(stage, index, clock.instant());
        // Unique per attempt: a duplicate delivery running at the same time must not share it.
        Path dir = workRoot.resolve(runId + "-" + stage + "-" + index + "-" + UUID.randomUUID());
        try {
            runs.report(runId, report);
            Files.createDirectories(dir);
            Computed computed = work.compute(dir);
            if (done(result)) {
                // A duplicate delivery finished first; its outputs are the ones the run records. This attempt's
                // "running", if it landed after that one's report, must not stay.
                reportDone(runId, stage, index, result);
                return;
            }
            ChunkResult outputs = computed.upload();
            runs.blobs().createIfAbsent(RunLayout.RUNS, result, Json.bytes(outputs));
            runs.report(runId, report.succeeded(clock.instant(), outputs.rowsIn(), outputs.rowsOut(),
                    outputs.rowsRejected()), outputs.parts().stream().mapToLong(ChunkResult.Part::bytes).sum());
        } catch (TransformFailedException | SourceChangedException e) {
            // Retrying cannot help: the definition does not fit the data, or the data is gone.
            if (done(result)) {
                reportDone(runId, stage, index, result);
            } else {
                runs.attemptFailed(runId, report, Failures.reason(e), true, clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            if (done(result)) {
                reportDone(runId, stage, index, result); // a duplicate delivery finished: this failure changes nothing
                return;
            }
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            WorkDirs.delete(dir);
        }
    }

    private boolean done(String result) {
        return runs.blobs().properties(RunLayout.RUNS, result).isPresent();
    }

    /**
     * Makes the report of a recorded piece say what it did, not the "running" (or "failed") of an attempt that died
     * before saying so, or that failed or was overtaken because a duplicate delivery finished the piece first.
     */
    private void reportDone(RunId runId, Stage stage, int index, String result) {
        runs.blobs().read(RunLayout.RUNS, result)
                .map(v -> Json.read(v.content(), ChunkResult.class))
                .ifPresent(done -> runs.reportSucceeded(runId, stage, index, clock.instant(), done.rowsIn(),
                        done.rowsOut(), done.rowsRejected()));
    }
}
