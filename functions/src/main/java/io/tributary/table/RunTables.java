package io.tributary.table;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.SplitName;
import io.tributary.definition.output.TableOutput;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.KeyMerge;
import io.tributary.engine.ParquetJson;
import java.nio.file.Path;
import io.tributary.port.BlobStore;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Commits a run to its pipeline's Delta table: one version per run, exactly once, and the run's manifest naming it.
 */
public final class RunTables {

    private static final Logger LOG = io.tributary.run.LogContext.logger(RunTables.class);

    private final BlobStore blobs;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final TableMerges merges;

    public RunTables(BlobStore blobs, Checkpoints checkpoints, TableMerges merges, Clock clock) {
        this.blobs = blobs;
        this.checkpoints = checkpoints;
        this.merges = merges;
        this.clock = clock;
    }

    /**
     * The tables of a function app: checkpoints and merges run by the engine within {@code limits}, their files in
     * {@code workRoot}.
     */
    public static RunTables standard(BlobStore blobs, Clock clock, Path workRoot, EngineLimits limits) {
        return new RunTables(blobs, new ParquetCheckpoints(new ParquetJson(limits), workRoot),
                new KeyMerges(blobs, new KeyMerge(limits), workRoot), clock);
    }

    /** The log of {@code pipeline}'s table. */
    public TableLog log(String pipeline) {
        return new TableLog(blobs, RunLayout.TRAINING, RunLayout.table(pipeline), checkpoints);
    }

    /**
     * Commits the run {@code manifest} describes (its files relative to the table's folder for an append or an
     * overwrite, to the run's folder for a merge) as the next version of its table, unless an earlier attempt did;
     * returns the manifest naming the version, the files it added and the split's {@code MLTable} files.
     *
     * @throws TableConflictException when the run's rows cannot go into the table as it is (final: a retry would
     *                                find the same)
     */
    public Manifest commit(Manifest manifest, PipelineDefinition definition) {
        TableOutput table = definition.output().tableOutput()
                .orElseThrow(() -> new IllegalArgumentException(definition.name() + " does not write a table"));
        TableShape shape;
        try {
            shape = new TableShape(definition, manifest.schema());
        } catch (IllegalArgumentException e) {
            throw new TableConflictException("the run's rows cannot go into a Delta table: " + e.getMessage());
        }
        RunInfo run = new RunInfo(manifest.pipeline(), manifest.runId().text(), manifest.definitionHash(),
                sources(manifest), manifest.appVersion() == null ? "unknown" : manifest.appVersion());
        TableLog log = log(manifest.pipeline());
        long now = clock.millis();
        TableCommits.Committed committed;
        if (table.mode() == TableOutput.Mode.MERGE) {
            try (TableMerges.Change merge = merges.change(definition, shape, run, manifest, now)) {
                committed = new TableCommits(clock::millis).commit(log, run.appId(), merge);
            }
        } else {
            committed = new TableCommits(clock::millis).commit(log, run.appId(), new RunWrite(shape, run,
                    manifest.files().stream().map(f -> new TableFile(f.path(), f.rows(), f.bytes())).toList(), now));
        }
        if (!committed.already()) {
            LOG.fine("run " + manifest.runId() + " committed version " + committed.version() + " of table "
                    + RunLayout.TRAINING + "/" + log.root());
            checkpointIfDue(log, committed.version(), table);
        }
        return withVersion(manifest, committed, table, shape);
    }

    private void checkpointIfDue(TableLog log, long version, TableOutput table) {
        if (version == 0 || version % table.checkpointInterval() != 0) {
            return;
        }
        try {
            // Tombstones past the retention are vacuum's to act on, not the checkpoint's to carry for ever.
            log.checkpoint(log.at(version).withoutTombstonesBefore(clock.millis() - table.retention().toMillis()));
        } catch (RuntimeException e) {
            // The commit stands without it: readers replay the commits, and the next due version writes one.
            LOG.warning("version " + version + " of table " + RunLayout.TRAINING + "/" + log.root() + " has no "
                    + "checkpoint: " + e.getMessage());
        }
    }

    private static Manifest withVersion(Manifest manifest, TableCommits.Committed committed, TableOutput table,
                                        TableShape shape) {
        List<Manifest.DataFile> added = new ArrayList<>();
        int removed = 0;
        long rowsRemoved = 0;
        boolean split = shape.partitionColumns().contains(RunLayout.SPLIT_PARTITION);
        for (Action a : committed.actions()) {
            if (a.add() != null) {
                String value = split ? a.add().partitionValues().get(RunLayout.SPLIT_PARTITION) : null;
                added.add(new Manifest.DataFile(DataPaths.decode(a.add().path()),
                        value == null ? ChunkOutput.NO_SPLIT : new SplitName(value), FileStats.rows(a.add()),
                        a.add().size()));
            } else if (a.remove() != null) {
                removed++;
                rowsRemoved += FileStats.rows(a.remove().stats());
            }
        }
        List<String> mlTables = manifest.splits().keySet().stream().map(s -> s + "/MLTable").toList();
        Manifest.TableVersion version = new Manifest.TableVersion(
                RunLayout.TRAINING + "/" + RunLayout.table(manifest.pipeline()), committed.version(),
                table.mode().text(), added.size(), removed, added.stream().mapToLong(Manifest.DataFile::rows).sum(),
                rowsRemoved);
        return manifest.withTable(version, added, mlTables);
    }

    /** What the run read, as its commit records it. */
    private static List<String> sources(Manifest manifest) {
        List<String> sources = new ArrayList<>();
        if (manifest.source() != null) {
            sources.add(manifest.source().container() + "/" + manifest.source().name());
        }
        if (manifest.fetched() != null) {
            sources.add(manifest.fetched().kind());
        }
        manifest.parents().forEach(p -> sources.add("pipeline " + p.pipeline() + " run " + p.runId()));
        return sources;
    }
}
