package io.tributary.port;

import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunState;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The run history index: a queryable projection of the run blobs (run records, stage reports, outcomes, manifests),
 * which stay the source of truth. Every write is an upsert that carries what it knows in full, so writing the same
 * thing twice changes nothing (but {@link #stage}'s attempt count) and a write that failed can simply be made again.
 * Implemented on Azure Table storage ({@code storage/TableRunIndex}); {@link #NONE} keeps no history.
 */
public interface RunIndex {

    /** Row totals of a run: rows read, written and rejected, and the dataset's bytes. */
    record Totals(long rowsIn, long rowsOut, long rowsRejected, long bytes) {

        /** A committed run's totals: its rows, and the bytes of its data files. */
        public static Totals committed(Manifest manifest) {
            return new Totals(manifest.rows().in(), manifest.rows().out(), manifest.rows().rejected(),
                    manifest.files().stream().mapToLong(Manifest.DataFile::bytes).sum());
        }

        /**
         * What a run that did not commit got through, from its stage reports: the rows its chunks read, those its
         * chunks and key buckets rejected, and nothing written.
         */
        public static Totals uncommitted(List<StageReport> reports) {
            long in = 0;
            long rejected = 0;
            for (StageReport report : reports) {
                if (report.status() == StageStatus.SUCCEEDED && report.stage() == Stage.TRANSFORM) {
                    in += report.rowsIn();
                }
                if (report.status() == StageStatus.SUCCEEDED && (report.stage() == Stage.TRANSFORM
                        || report.stage() == Stage.COMBINE)) {
                    rejected += report.rowsRejected();
                }
            }
            return new Totals(in, 0, rejected, 0);
        }
    }

    /**
     * The runs a query asks for.
     *
     * @param pipeline null for every pipeline
     * @param status   {@code running}, {@code committed}, {@code failed}, or null for any
     * @param since    runs whose id's time is at or after this, or null
     * @param until    runs whose id's time is at or before this, or null
     * @param limit    at most this many, newest first
     */
    record Filter(String pipeline, RunState status, Instant since, Instant until, int limit) {
    }

    /** The run started (or was resumed): it is running, with no end, error or totals yet. */
    void started(RunRecord record);

    /**
     * The failed run was resumed after waiting {@code waited} since it failed: it is running again, and the time it
     * waited is added to what it waited before, so its working time can be told apart.
     */
    default void resumed(RunRecord record, java.time.Duration waited) {
        started(record);
    }

    /** The run ended as {@code outcome}; {@code totals} when it committed, else null. */
    void ended(RunRecord record, RunOutcome outcome, Totals totals);

    /**
     * A stage (or chunk, or key bucket) of run {@code runId} reported; a {@code running} report starts one more
     * attempt.
     *
     * @param bytes what the stage wrote, or null when not known
     */
    void stage(RunId runId, StageReport report, Long bytes);

    /** The runs {@code filter} asks for, newest first. */
    List<RunSummary> runs(Filter filter);

    /** One run's row, if it is indexed. */
    Optional<RunSummary> run(String pipeline, RunId runId);

    /** The stage, chunk and key bucket rows of a run, in the order of their keys. */
    List<StageRow> stages(RunId runId);

    /** Deletes the history of the runs whose id's time is before {@code cutoff}; returns how many runs it removed. */
    int deleteBefore(Instant cutoff);

    /** Keeps no history: writes nothing, finds nothing. */
    RunIndex NONE = new Empty();

    /** A history that keeps nothing: writes nothing, finds nothing; an index that keeps only some of it extends this. */
    class Empty implements RunIndex {
        @Override
        public void started(RunRecord record) {
        }

        @Override
        public void ended(RunRecord record, RunOutcome outcome, Totals totals) {
        }

        @Override
        public void stage(RunId runId, StageReport report, Long bytes) {
        }

        @Override
        public List<RunSummary> runs(Filter filter) {
            return List.of();
        }

        @Override
        public Optional<RunSummary> run(String pipeline, RunId runId) {
            return Optional.empty();
        }

        @Override
        public List<StageRow> stages(RunId runId) {
            return List.of();
        }

        @Override
        public int deleteBefore(Instant cutoff) {
            return 0;
        }
    }
}
