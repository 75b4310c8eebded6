package io.tributary.bench;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.tributary.engine.EngineLimits;
import io.tributary.port.BlobStore;
import io.tributary.run.RunLayout;
import io.tributary.storage.AzureBlobStore;
import io.tributary.table.RunTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * (f) and (g): Delta tables committed from this process to the bench's Azurite by the table package, as the store
 * stage commits runs ({@code RunTables.standard}, the engine's default limits); prints each section's figures.
 */
final class TableSection {

    /** Held, so the level set on it stays: the table package logs every commit. */
    private static final Logger TABLE_LOGS = Logger.getLogger("io.tributary.table");

    private final String storage;
    private final TableSizes sizes;
    private final Path work;
    private final Progress progress;
    private final PrintStream out;

    TableSection(String storage, TableSizes sizes, Path work, Progress progress, PrintStream out) {
        this.storage = storage;
        this.sizes = sizes;
        this.work = work;
        this.progress = progress;
        this.out = out;
    }

    TableFigures run() throws IOException {
        BlobServiceClient service = new BlobServiceClientBuilder().connectionString(storage).buildClient();
        service.getBlobContainerClient(RunLayout.TRAINING).createIfNotExists();
        BlobStore blobs = new AzureBlobStore(service);
        RunTables tables = RunTables.standard(blobs, Clock.systemUTC(), work.resolve("engine"), EngineLimits.DEFAULT);
        Level level = TABLE_LOGS.getLevel();
        TABLE_LOGS.setLevel(Level.WARNING);
        try {
            progress.say(String.format("(f) An append table of %,d versions, a checkpoint every 10: the latest version "
                    + "read with and without checkpoints, then more appends", sizes.versions()));
            TableLogSection.Figures log = new TableLogSection(blobs, tables, work.resolve("log"), progress)
                    .run(sizes.versions());
            printLog(log);
            progress.say(String.format("(g) Merges by key of 1 %% of %,d rows", sizes.rows()));
            TableMergeSection.Figures merge = new TableMergeSection(blobs, tables, work.resolve("merge"), progress)
                    .run(sizes.rows());
            printMerge(merge);
            return TableFigures.of(log, merge);
        } finally {
            TABLE_LOGS.setLevel(level);
        }
    }

    private void printLog(TableLogSection.Figures f) {
        out.printf("  append commit (latest version read, create-only commit): median %.0f ms (min %.0f, max %.0f) "
                + "over %d appends after version %,d%n", f.appendCommitMs().at(50), f.appendCommitMs().min(),
                f.appendCommitMs().max(), f.appendCommitMs().count(), f.versions() - 1);
        out.printf("  RunTables.commit of an append run: median %.0f ms (min %.0f, max %.0f, with a checkpoint) "
                + "over %d more, the two in turn%n", f.runCommitMs().at(50), f.runCommitMs().min(),
                f.runCommitMs().max(), f.runCommitMs().count());
        out.printf("  latest version's file list (%,d files): %,.0f ms from checkpoint %d and %d commits; %,.0f ms from "
                + "%,d commits without checkpoints; %.1f × faster%n", f.files(), f.checkpointedMs().at(50),
                f.checkpoint(), f.versions() - 1 - f.checkpoint(), f.noCheckpointMs().at(50), f.versions(),
                f.noCheckpointMs().at(50) / f.checkpointedMs().at(50));
    }

    private void printMerge(TableMergeSection.Figures f) {
        out.printf("  %,d changed keys (1 %%) into %,d rows in %d files (split train/test by id; a file a row group)%n",
                f.clustered().keys(), f.rows(), f.files());
        out.printf("  clustered (ids %,d to %,d):  %s%n", f.rows() - f.clustered().keys() + 1, f.rows(),
                line(f.clustered()));
        out.printf("  spread (ids at random):        %s%n", line(f.spread()));
        out.printf("  full rewrite (a key per file): %s; %.1f × the clustered merge%n", line(f.full()), f.speedup());
        out.printf("  (the spread keys are information, not a target: 1 %% of the ids at random puts about %,d in each "
                + "file, so copy-on-write rewrites every file, as the full rewrite does)%n",
                f.spread().keys() / Math.max(1, f.files()));
    }

    private static String line(TableMergeSection.Merge m) {
        return String.format("%d of %d files rewritten (%.3f, %,d rows) in %.2f s", m.filesRewritten(),
                m.filesBefore(), m.share(), m.rowsRewritten(), m.seconds());
    }
}
