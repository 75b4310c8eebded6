package io.tributary.bench;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.sql.SqlText;
import io.tributary.engine.ChunkOutput;
import io.tributary.port.BlobStore;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.table.RunInfo;
import io.tributary.table.RunTables;
import io.tributary.table.RunWrite;
import io.tributary.table.Snapshot;
import io.tributary.table.TableCommits;
import io.tributary.table.TableFile;
import io.tributary.table.TableLog;
import io.tributary.table.TableShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * (f) An append table of many versions, each a run of one small file committed by {@code RunTables} (a checkpoint
 * every 10 versions, the default): the time to read the latest version's file list from the newest checkpoint and
 * the commits after it, against the same commits in a log without checkpoints; then the time to commit more appends.
 */
final class TableLogSection {

    /** Checkpoint intervals of appends timed each way. */
    static final int APPEND_INTERVALS = 2;
    /** Reads of the latest version timed on each log. */
    static final int READS = 3;
    /** The table holding the same commits and no checkpoint. */
    static final String NO_CHECKPOINTS = BenchTables.EVENTS.pipeline() + "-no-checkpoints";
    /** The rows of each run's file. */
    private static final long ROWS = 10;

    /**
     * @param versions             the versions the table had when read
     * @param appendCommitMs       the table commit of each of every other append after those versions: reading the
     *                             latest version, then the create-only commit
     * @param runCommitMs          {@code RunTables.commit} of each of the appends between: the table commit, then the
     *                             checkpoint when one is due
     * @param checkpointedMs       the latest version's file list, from the newest checkpoint and the commits after it
     * @param noCheckpointMs       the same from every commit
     * @param checkpoint           the checkpoint the first read starts from
     * @param files                the data files in that version
     */
    record Figures(int versions, Percentiles appendCommitMs, Percentiles runCommitMs, Percentiles checkpointedMs,
                   Percentiles noCheckpointMs, long checkpoint, int files) {
    }

    private final BlobStore blobs;
    private final RunTables tables;
    private final Path work;
    private final Progress progress;
    private final BenchTables table = BenchTables.EVENTS;
    private final PipelineDefinition definition = table.definition();
    private final TableRuns runs = new TableRuns(table);

    TableLogSection(BlobStore blobs, RunTables tables, Path work, Progress progress) {
        this.blobs = blobs;
        this.tables = tables;
        this.work = work;
        this.progress = progress;
    }

    Figures run(int versions) {
        Path file = smallFile();
        long bytes = Landing.size(file);
        List<RunId> appends = new ArrayList<>();
        int interval = definition.output().tableOutput().orElseThrow().checkpointInterval();
        for (int i = 0; i < versions + APPEND_INTERVALS * 2 * interval; i++) {
            appends.add(runs.next("append"));
        }
        progress.say(String.format("  uploading %,d small files, one for each run…", appends.size()));
        inParallel(appends.size(), i -> upload(file, appends.get(i), table.pipeline()));
        TableLog log = tables.log(table.pipeline());
        for (int v = 0; v < versions; v++) {
            tables.commit(manifest(appends.get(v), bytes), definition);
            if ((v + 1) % 100 == 0 || v + 1 == versions) {
                progress.say(String.format("  %,d of %,d versions committed", v + 1, versions));
            }
        }
        Snapshot latest = log.latest().orElseThrow();
        if (latest.version() != versions - 1 || latest.files().size() != versions) {
            throw new IllegalStateException("the table's latest version is " + latest.version() + " with "
                    + latest.files().size() + " files; the bench committed " + versions);
        }
        // The same commits, each create-only, into a table that gets no checkpoint (committing them one by one
        // through TableCommits would replay the whole log for each: a quarter of a million reads).
        TableLog plain = tables.log(NO_CHECKPOINTS);
        inParallel(versions, v -> {
            upload(file, appends.get(v), NO_CHECKPOINTS);
            if (!plain.tryCommit(v, log.commit(v).orElseThrow())) {
                throw new IllegalStateException("version " + v + " of " + NO_CHECKPOINTS + " was already there");
            }
        });
        progress.say("  the same " + versions + " commits copied into a log without checkpoints; reading the latest "
                + "version " + READS + " times from each");
        Percentiles checkpointed = timed(READS, () -> log.latest().orElseThrow().files().size());
        Percentiles everyCommit = timed(READS, () -> plain.latest().orElseThrow().files().size());
        // The two ways take turns, so both meet the same load, and each meets every place in a checkpoint interval
        // (the commits after the newest checkpoint that the latest version reads) and one checkpoint.
        List<Double> commits = new ArrayList<>();
        List<Double> runCommits = new ArrayList<>();
        TableShape shape = new TableShape(definition, table.schema());
        for (int i = 0; i < APPEND_INTERVALS * 2 * interval; i++) {
            RunId runId = appends.get(versions + i);
            boolean whole = (i % 2 == 1) != ((i / interval) % 2 == 1);
            if (whole) {
                Manifest manifest = manifest(runId, bytes);
                long start = System.nanoTime();
                tables.commit(manifest, definition);
                runCommits.add((System.nanoTime() - start) / 1e6);
                continue;
            }
            RunInfo run = new RunInfo(table.pipeline(), runId.text(), definition.hash(), List.of(), "bench");
            RunWrite append = new RunWrite(shape, run, List.of(new TableFile(part(runId), ROWS, bytes)),
                    System.currentTimeMillis());
            long start = System.nanoTime();
            long version = new TableCommits(System::currentTimeMillis).commit(log, run.appId(), append).version();
            commits.add((System.nanoTime() - start) / 1e6);
            if (version % interval == 0) {
                // What RunTables does after a commit when a checkpoint is due: untimed here, timed in its turns.
                log.checkpoint(log.at(version));
            }
        }
        return new Figures(versions, new Percentiles(commits), new Percentiles(runCommits), checkpointed, everyCommit,
                latest.version() / interval * interval, latest.files().size());
    }

    /** The manifest of append run {@code runId}: its one part, in the table's folder. */
    private Manifest manifest(RunId runId, long bytes) {
        return runs.manifest(runId, List.of(new Manifest.DataFile(part(runId), ChunkOutput.NO_SPLIT, ROWS, bytes)));
    }

    /** Run {@code runId}'s part, relative to the table's folder. */
    private String part(RunId runId) {
        return RunLayout.tablePart(table.pipeline(), runId, null, "", 0, 0, ".parquet")
                .substring(RunLayout.table(table.pipeline()).length());
    }

    /** Uploads {@code file} as run {@code runId}'s part in the folder of {@code pipeline}'s table. */
    private void upload(Path file, RunId runId, String pipeline) {
        blobs.upload(RunLayout.TRAINING, RunLayout.table(pipeline) + part(runId), file);
    }

    /** Runs {@code work} for 0 to {@code count - 1}, several at once: storage round trips, not the work timed. */
    private static void inParallel(int count, IntConsumer work) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int item = i;
                done.add(pool.submit(() -> work.accept(item)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Ten events as a Parquet file: what each run appends. */
    private Path smallFile() {
        try {
            Path file = Files.createDirectories(work).resolve("events.parquet");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
                s.execute("COPY (SELECT 'device-' || i AS device, TIMESTAMP '2026-12-01' + to_seconds(i) AS ts, "
                        + "(i * 0.5)::DOUBLE AS value FROM range(" + ROWS + ") t(i)) TO " + SqlText.literal(file.toString())
                        + " (FORMAT parquet)");
            }
            return file;
        } catch (SQLException e) {
            throw new IllegalStateException("the bench could not write its events file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds of {@code times} calls of {@code read}. */
    private static Percentiles timed(int times, Supplier<Integer> read) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            read.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return new Percentiles(millis);
    }
}
