package io.tributary.bench;

import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.table.KeyMerges;
import io.tributary.table.RunInfo;
import io.tributary.table.RunTables;
import io.tributary.table.RunWrite;
import io.tributary.table.TableCommits;
import io.tributary.table.TableFile;
import io.tributary.table.TableLog;
import io.tributary.table.TableShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (g) A merge by key of 1 % of a large table's rows, through {@code RunTables} as the store stage commits a run: the
 * keys a contiguous range of ids, and the same number drawn at random; against a full rewrite of the table by the
 * same merge, one of whose keys falls in every file.
 */
final class TableMergeSection {

    /** The share of the table's rows each merge changes. */
    static final double CHANGED = 0.01;

    /**
     * One merge, timed as {@code RunTables.commit} of the run (the run's parts already staged).
     *
     * @param keys           the keys the run changed
     * @param filesBefore    the table's data files before the merge
     * @param filesRewritten those the merge removed, and wrote again with the run's rows
     * @param rowsRewritten  the rows in the files it removed
     */
    record Merge(long keys, int filesBefore, int filesRewritten, long rowsRewritten, double seconds) {
        double share() {
            return filesBefore == 0 ? 0 : (double) filesRewritten / filesBefore;
        }
    }

    /**
     * @param clustered ids {@code rows - keys + 1} to {@code rows}: the most recently active accounts
     * @param spread    ids drawn at random
     * @param full      the clustered ids and the first id of every file: the whole table rewritten
     */
    record Figures(long rows, int files, Merge clustered, Merge spread, Merge full) {
        double speedup() {
            return full.seconds() / clustered.seconds();
        }
    }

    private final BlobStore blobs;
    private final RunTables tables;
    private final Path work;
    private final Progress progress;
    private final BenchTables table = BenchTables.ACCOUNTS;
    private final PipelineDefinition definition = table.definition();
    private final TableRuns runs = new TableRuns(table);
    private final AccountRows generator = new AccountRows(definition);

    TableMergeSection(BlobStore blobs, RunTables tables, Path work, Progress progress) {
        this.blobs = blobs;
        this.tables = tables;
        this.work = work;
        this.progress = progress;
    }

    Figures run(long rows) throws IOException {
        TableLog log = tables.log(table.pipeline());
        int files = load(rows, log);
        long changed = Math.round(rows * CHANGED);
        String recent = AccountRows.range(rows - changed + 1, rows);
        Merge clustered = merge(log, "clustered", recent, 1);
        Merge spread = merge(log, "spread", AccountRows.sample(rows, changed), 2);
        List<String> firstKeys = log.latest().orElseThrow().files().values().stream()
                .map(f -> f.tags().get(KeyMerges.KEY_MIN)).toList();
        Merge full = merge(log, "full", AccountRows.union(recent, firstKeys), 3);
        return new Figures(rows, files, clustered, spread, full);
    }

    /**
     * Makes the table: a merge run of no rows creates it (its metadata naming the keys), then one version adds the
     * rows, written by DuckDB in the layout a merge writes, each file tagged with its key range as a merge tags it.
     * Returns how many files it holds.
     */
    private int load(long rows, TableLog log) throws IOException {
        progress.say(String.format("  writing %,d rows with DuckDB, sorted by id…", rows));
        List<AccountRows.File> files = generator.table(rows, work.resolve("table"));
        RunId create = runs.next("create");
        tables.commit(runs.manifest(create, List.of()), definition);
        RunId load = runs.next("load");
        List<TableFile> added = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            AccountRows.File file = files.get(i);
            String name = RunLayout.tablePart(table.pipeline(), load, file.split(), "", i, 0, ".parquet");
            bytes += blobs.upload(RunLayout.TRAINING, name, file.file());
            added.add(new TableFile(name.substring(log.root().length()), file.rows(), file.bytes(),
                    Map.of(KeyMerges.KEY_MIN, file.keyMin(), KeyMerges.KEY_MAX, file.keyMax())));
        }
        Trees.delete(work.resolve("table"));
        PipelineDefinition loading = table.loading();
        RunInfo run = new RunInfo(table.pipeline(), load.text(), loading.hash(), List.of(), "bench");
        new TableCommits(System::currentTimeMillis).commit(log, run.appId(), new RunWrite(new TableShape(loading,
                table.schema()), run, added, System.currentTimeMillis()));
        progress.say(String.format("  the table holds %,d rows in %d files (%.0f MB)", rows, files.size(), bytes / 1e6));
        return files.size();
    }

    /** Stages a run changing the accounts {@code ids} on day {@code day}, then merges it, timed. */
    private Merge merge(TableLog log, String label, String ids, int day) throws IOException {
        RunId run = runs.next(label);
        List<AccountRows.File> changes = generator.changes(ids, day, work.resolve(label));
        List<Manifest.DataFile> parts = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            AccountRows.File change = changes.get(i);
            String name = RunLayout.dataPart(table.pipeline(), run, change.split(), "", i, 0, ".parquet");
            blobs.upload(RunLayout.TRAINING, name, change.file());
            parts.add(new Manifest.DataFile(name.substring(RunLayout.datasetFolder(table.pipeline(), run).length()),
                    change.split(), change.rows(), change.bytes()));
        }
        Trees.delete(work.resolve(label));
        long keys = parts.stream().mapToLong(Manifest.DataFile::rows).sum();
        int before = log.latest().orElseThrow().files().size();
        progress.say(String.format("  merging %,d changed keys (%s) into %d files…", keys, label, before));
        long start = System.nanoTime();
        Manifest committed = tables.commit(runs.manifest(run, parts), definition);
        double seconds = (System.nanoTime() - start) / 1e9;
        Manifest.TableVersion version = committed.table();
        progress.say(String.format("  version %d: %d of %d files rewritten (%,d rows), %d added, in %.2f s",
                version.version(), version.filesRemoved(), before, version.rowsRemoved(), version.filesAdded(),
                seconds));
        return new Merge(keys, before, version.filesRemoved(), version.rowsRemoved(), seconds);
    }
}
