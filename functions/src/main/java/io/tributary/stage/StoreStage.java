package io.tributary.stage;

import io.tributary.definition.output.SplitName;
import io.tributary.definition.expectation.Expectation;
import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ExpectationRun;
import io.tributary.engine.KeyRouting;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.run.AppVersion;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.ColumnStatistics;
import io.tributary.run.ExpectationResult;
import io.tributary.run.FetchRecord;
import io.tributary.run.OutputColumn;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.MlTable;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.table.RunTables;
import io.tributary.table.TableConflictException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Commits a run whose chunks are all transformed: writes {@code _manifest.json} (create-only, and
 * last of the dataset's blobs), then moves {@code latest.json} forward if this run is the newest, then leaves,
 * archives or deletes the dropped file as the pipeline's trigger says ({@link AfterCommit}).
 */
public final class StoreStage {

    private static final java.util.logging.Logger LOG = io.tributary.run.LogContext.logger(StoreStage.class);

    private final RunStore runs;
    private final Clock clock;
    private final AfterCommit afterCommit;
    private final Watermarks watermarks;
    private final DownstreamRuns downstream;
    private final RunTables tables;
    private final AssetRegistrations registrations;
    private final io.tributary.port.StageQueue queue;

    /** A store stage that knows of no other pipeline reading a run's dropped file. */
    public StoreStage(RunStore runs, Clock clock) {
        this(runs, clock, name -> List.of());
    }

    /** @param readers the pipelines whose trigger path matches a landed file's name (afterCommit leaves theirs) */
    public StoreStage(RunStore runs, Clock clock, Function<String, List<String>> readers) {
        this(runs, clock, readers, DownstreamRuns.NONE);
    }

    /** @param downstream starts the runs of pipelines that consume a committed dataset ({@link DownstreamRuns#NONE}: none) */
    public StoreStage(RunStore runs, Clock clock, Function<String, List<String>> readers,
                      DownstreamRuns downstream) {
        this(runs, clock, readers, downstream, RunTables.standard(runs.blobs(), clock,
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "tributary-tables"),
                io.tributary.engine.EngineLimits.DEFAULT));
    }

    /** @param tables commits the runs of pipelines whose output is a table */
    public StoreStage(RunStore runs, Clock clock, Function<String, List<String>> readers,
                      DownstreamRuns downstream, RunTables tables) {
        this(runs, clock, readers, downstream, tables, io.tributary.port.DataAssets.NONE);
    }

    /** @param assets where table versions are registered as data assets ({@code output.azureml}) */
    public StoreStage(RunStore runs, Clock clock, Function<String, List<String>> readers,
                      DownstreamRuns downstream, RunTables tables, io.tributary.port.DataAssets assets) {
        this(runs, clock, readers, downstream, tables, assets, (queue, message) -> {
            throw new IllegalStateException("this store stage was built without a queue, so it cannot start the jobs "
                    + "that follow run " + message.runId() + "'s commit");
        });
    }

    /** @param queue where the jobs that follow a commit ({@code onCommit}) are started */
    public StoreStage(RunStore runs, Clock clock, Function<String, List<String>> readers,
                      DownstreamRuns downstream, RunTables tables, io.tributary.port.DataAssets assets,
                      io.tributary.port.StageQueue queue) {
        this.queue = queue;
        this.tables = tables;
        this.registrations = new AssetRegistrations(runs, assets, clock);
        this.downstream = downstream;
        this.runs = runs;
        this.clock = clock;
        this.afterCommit = new AfterCommit(runs, clock, readers);
        this.watermarks = new Watermarks(runs.blobs());
    }

    /**
     * Commits the run in {@code message}; committing a committed run only re-checks latest.json.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(StoreMessage message, boolean lastAttempt) {
        RunId runId = message.runId();
        BlobStore blobs = runs.blobs();
        String manifestName = RunLayout.manifest(message.pipeline(), runId);
        Optional<BlobStore.Versioned> existing = blobs.read(RunLayout.TRAINING, manifestName);
        Manifest manifest;
        PipelineDefinition snapshot = null; // read once, when this delivery commits
        if (existing.isPresent()) {
            manifest = Json.read(existing.get().content(), Manifest.class);
            if (runs.outcome(runId).isEmpty()) {
                // The attempt that committed may have died before its report said so.
                runs.reportSucceeded(runId, Stage.STORE, -1, clock.instant(), manifest.rows().in(), manifest.rows().out(),
                        manifest.rows().rejected());
            }
        } else {
            if (runs.outcome(runId).isPresent() || runs.failIfCancelled(runId, Stage.STORE, -1, clock.instant())) {
                return;
            }
            StageReport report = StageReport.running(Stage.STORE, -1, clock.instant());
            try {
                runs.report(runId, report);
                PipelineDefinition definition = runs.definition(runId);
                snapshot = definition;
                Manifest ours = withLineage(manifest(message, definition),
                        runs.record(runId).orElseThrow(), runs.plan(runId));
                Manifest judged = ours;
                Optional<String> refused = tooManyRejects(judged, definition).or(() -> tooFewOrMany(judged, definition));
                if (refused.isPresent()) {
                    // Final: the same chunks would be judged so again. Nothing is committed; the rejects stay.
                    deleteData(ours, definition);
                    runs.attemptFailed(runId, report, refused.get(), true, clock.instant());
                    return;
                }
                if (definition.output().tableOutput().isPresent()) {
                    try {
                        ours = tables.commit(ours, definition);
                    } catch (TableConflictException conflict) {
                        // Final: the table as it is refuses the run's rows, and would again.
                        deleteData(ours, definition);
                        runs.attemptFailed(runId, report, conflict.getMessage(), true, clock.instant());
                        return;
                    }
                }
                deleteUnlisted(ours);
                for (String mlTable : ours.mlTables()) {
                    blobs.put(RunLayout.TRAINING, RunLayout.datasetFolder(message.pipeline(), runId) + mlTable,
                            mlTableText(ours, definition, mlTable));
                }
                // The run's high-water mark counts from the moment its manifest exists (see Watermark).
                if (ours.fetched() != null && ours.fetched().watermark() != null) {
                    watermarks.prepare(message.pipeline(), runId, ours.fetched().watermark());
                }
                // A concurrent duplicate may have committed first: its manifest is the commit.
                manifest = blobs.createIfAbsent(RunLayout.TRAINING, manifestName, Json.bytes(ours)) ? ours
                        : Json.read(blobs.read(RunLayout.TRAINING, manifestName).orElseThrow().content(), Manifest.class);
            } catch (RuntimeException e) {
                runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
                throw e;
            }
            runs.report(runId, report.succeeded(clock.instant(), manifest.rows().in(), manifest.rows().out(),
                    manifest.rows().rejected()), RunIndex.Totals.committed(manifest).bytes());
        }
        try {
            // A late duplicate of an ended run's message must not touch the pipeline's state.
            if (runs.outcome(runId).isEmpty() && manifest.fetched() != null && manifest.fetched().watermark() != null) {
                watermarks.settle(manifest.pipeline(), runId, manifest.fetched().watermark(), manifest.committedAt());
            }
            advanceLatest(manifest, manifestName);
            downstream.committed(manifest);
            PipelineDefinition definition = snapshot != null ? snapshot : runs.definition(runId);
            if (definition.output().azureMlOutput().isPresent()) {
                registrations.register(manifest, definition, blobs.read(RunLayout.TRAINING, manifestName).orElseThrow()
                        .content(), lastAttempt);
            }
            Optional<RunRecord> record = runs.record(runId);
            if (record.isPresent()) {
                afterCommit.apply(record.get(), definition.fileDrop());
            }
            // The jobs that follow the commit start now, side by side; each submits once, whoever sends it again.
            for (io.tributary.definition.job.Job job : definition.onCommit()) {
                queue.send(RunLayout.JOB_QUEUE, new io.tributary.run.JobMessage(runId, message.pipeline(), job.name(),
                        1, 0, null));
            }
            // The rows chunks routed to key buckets served the commit; the dataset holds them now.
            runs.blobs().list(RunLayout.RUNS, RunLayout.routedPrefix(runId))
                    .forEach(name -> runs.blobs().delete(RunLayout.RUNS, name));
        } catch (RuntimeException e) {
            if (!lastAttempt) {
                throw e;
            }
            // The manifest is the commit: the run committed, whatever of the tidying after it could not be done.
            LOG.warning("run " + runId + " committed, but what follows its manifest failed on the last attempt: "
                    + Failures.describe(e) + "; latest.json may still point at an older run"
                    + (downstream == DownstreamRuns.NONE ? "" : ", and pipelines that consume this dataset may not have started: "
                    + "'tributary run PIPELINE' starts one over the latest dataset"));
        }
        // The run ends only now: the next run of the pipeline, held until then by its concurrency limit, starts
        // after this run's high-water mark and sees latest.json at this run.
        runs.finish(runId, RunOutcome.committed(manifest.committedAt()), RunIndex.Totals.committed(manifest));
        rejectsAlert(manifest, snapshot);
    }

    /**
     * {@code manifest} naming the app version and, for a run a dataset trigger started, its parent dataset with the
     * parts the run read (from its plan: one chunk per part).
     */
    private static Manifest withLineage(Manifest manifest, RunRecord record, Optional<RunPlan> plan) {
        List<Manifest.Parent> parents = new ArrayList<>();
        if (record.upstream() != null) {
            List<BlobRef> files = plan.map(p -> p.chunks().stream().map(TransformMessage::source).distinct().toList())
                    .orElse(List.of());
            parents.add(new Manifest.Parent(record.upstream().pipeline(), record.upstream().runId(), record.source(),
                    files));
        }
        return manifest.withLineage(AppVersion.current(), parents);
    }

    /** Alerts when the committed run rejected more than its pipeline's {@code alerts.rejectedFraction}; never throws. */
    private void rejectsAlert(Manifest manifest, PipelineDefinition snapshot) {
        if (manifest.rows().rejected() == 0) {
            return;
        }
        try {
            runs.alerts().committed(manifest, snapshot != null ? snapshot : runs.definition(manifest.runId()));
        } catch (RuntimeException e) {
            LOG.warning("run " + manifest.runId() + " committed, but whether its rejects call for an alert is not "
                    + "known: " + Failures.describe(e));
        }
    }

    /**
     * Why the run may not commit when its rejected rows are more than the definition's {@code maxRejectedFraction}
     * of the rows read (over all chunks); empty when they are not, or without a limit.
     */
    static Optional<String> tooManyRejects(Manifest manifest, PipelineDefinition definition) {
        long in = manifest.rows().in();
        long rejected = manifest.rows().rejected();
        return definition.maxRejectedFraction()
                .filter(max -> in > 0 && (double) rejected / in > max)
                .map(max -> String.format(java.util.Locale.ROOT, "too many rejects: %,d of %,d rows (%.1f%%) were "
                        + "rejected, more than maxRejectedFraction %s; the rejects are in %s/%s_rejects/ — fix the "
                        + "source or raise the limit", rejected, in, 100.0 * rejected / in,
                        java.math.BigDecimal.valueOf(max).stripTrailingZeros().toPlainString(), RunLayout.TRAINING,
                        RunLayout.datasetFolder(manifest.pipeline(), manifest.runId())));
    }

    /** Why the run may not commit when a {@code rowCount} expectation that fails runs finds its rows out of bounds. */
    static Optional<String> tooFewOrMany(Manifest manifest, PipelineDefinition definition) {
        for (Expectation e : definition.expectations()) {
            if (e.expect().equals("rowCount") && e.onFailure().equals("fail")) {
                Optional<String> wrong = ExpectationRun.outOfBounds(e, manifest.rows().out());
                if (wrong.isPresent()) {
                    return Optional.of("expectation '" + e.name() + "' failed: " + wrong.get());
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code MLTable} file {@code mlTable} (relative to the run's folder) of the committed {@code manifest}. */
    private static byte[] mlTableText(Manifest manifest, PipelineDefinition definition, String mlTable) {
        String text;
        if (manifest.table() == null) {
            text = MlTable.of(definition.output());
        } else {
            String split = mlTable.substring(0, mlTable.indexOf('/'));
            text = MlTable.ofTable(manifest.table().version(),
                    definition.split().isPresent() ? new SplitName(split) : null);
        }
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Deletes the data files of a run that will not commit: everything in its folder but its rejects, and the files it
     * wrote into its pipeline's table, which no version names.
     */
    private void deleteData(Manifest manifest, PipelineDefinition definition) {
        if (PartUploads.writesTable(definition)) {
            manifest.files().forEach(f -> runs.blobs().delete(RunLayout.TRAINING,
                    RunLayout.table(manifest.pipeline()) + f.path()));
        }
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        for (String name : runs.blobs().list(RunLayout.TRAINING, folder)) {
            if (!name.startsWith(folder + "_rejects/")) {
                runs.blobs().delete(RunLayout.TRAINING, name);
            }
        }
    }

    /**
     * Deletes what an earlier attempt left in the dataset's folder that the manifest does not list (a part
     * uploaded by an attempt that died before recording its chunk), so the folder holds exactly the dataset.
     */
    private void deleteUnlisted(Manifest manifest) {
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        Set<String> listed = new HashSet<>(manifest.rejects());
        // A duplicate delivery may have committed since this one found no manifest: that commit stands.
        listed.add(RunLayout.MANIFEST);
        manifest.files().forEach(f -> listed.add(f.path()));
        listed.addAll(manifest.mlTables());
        for (String name : runs.blobs().list(RunLayout.TRAINING, folder)) {
            if (!listed.contains(name.substring(folder.length()))) {
                runs.blobs().delete(RunLayout.TRAINING, name);
            }
        }
    }

    private Manifest manifest(StoreMessage message, PipelineDefinition definition) {
        RunId runId = message.runId();
        RunRecord record = runs.record(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no run record"));
        List<ChunkResult> chunks = results(runId, message.chunks(), "chunk", RunLayout::chunkResult);
        List<ChunkResult> buckets = results(runId, message.buckets(), "key bucket", RunLayout::bucketResult);
        // The parts: the chunks', or, when the run routed rows by key, the buckets'.
        List<ChunkResult> data = buckets.isEmpty() ? chunks : buckets;
        List<OutputColumn> schema = data.get(0).schema();
        for (ChunkResult piece : data) {
            if (!piece.schema().equals(schema)) {
                throw new IllegalStateException("part " + piece.chunk() + " of run " + runId + " has schema "
                        + piece.schema() + ", part 0 has " + schema);
            }
        }
        // Parts are relative to the run's folder, or, written straight into the table, to the table's.
        String folder = PartUploads.writesTable(definition) ? RunLayout.table(message.pipeline())
                : RunLayout.datasetFolder(message.pipeline(), runId);
        List<Manifest.DataFile> files = data.stream().flatMap(c -> c.parts().stream())
                .map(p -> new Manifest.DataFile(p.blob().substring(folder.length()), p.split(), p.rows(), p.bytes()))
                .toList();
        Map<SplitName, Long> splits = new LinkedHashMap<>();
        definition.split().ifPresentOrElse(
                split -> split.fractions().keySet().forEach(name -> splits.put(name, 0L)),
                () -> splits.put(ChunkOutput.NO_SPLIT, 0L));
        files.forEach(f -> splits.merge(f.split(), f.rows(), Long::sum));
        List<String> mlTables = files.stream().map(f -> f.split() + "/MLTable").distinct().toList();
        List<ChunkResult> all = new ArrayList<>(chunks);
        all.addAll(buckets);
        String runFolder = RunLayout.datasetFolder(message.pipeline(), runId);
        List<String> rejects = all.stream().map(ChunkResult::rejects).filter(Objects::nonNull)
                .map(r -> r.substring(runFolder.length())).toList();
        Manifest.Rows rows = new Manifest.Rows(
                chunks.stream().mapToLong(ChunkResult::rowsIn).sum(),
                data.stream().mapToLong(ChunkResult::rowsOut).sum(),
                all.stream().mapToLong(ChunkResult::rowsRejected).sum());
        return new Manifest(Manifest.VERSION, message.pipeline(), runId, record.definitionHash(), record.source(),
                clock.instant(), rows, splits, schema, statistics(data, disjointColumns(definition, buckets.size())),
                expectations(data, definition), files, mlTables, rejects,
                chunks.stream().flatMap(c -> c.references().stream()).distinct().toList(),
                runs.sourceSchema(runId, definition),
                runs.fetchRecord(runId).orElse(null));
    }

    /** The column whose values no two of a run's {@code buckets} key buckets share: a lone routing key. */
    private static Set<String> disjointColumns(PipelineDefinition definition, int buckets) {
        return KeyRouting.of(definition).filter(r -> buckets > 1 && r.keys().size() == 1)
                .map(r -> Set.copyOf(r.keys())).orElse(Set.of());
    }

    /** The results of the run's {@code count} chunks or key buckets ({@code what}), each recorded at {@code name}. */
    private List<ChunkResult> results(RunId runId, int count, String what, BiFunction<RunId, Integer, String> name) {
        List<ChunkResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            results.add(runs.blobs().read(RunLayout.RUNS, name.apply(runId, i))
                    .map(v -> Json.read(v.content(), ChunkResult.class))
                    .orElseThrow(() -> new IllegalStateException(what + " " + n + " of run " + runId + " is not done")));
        }
        return results;
    }

    /**
     * Each column's statistics over all chunks (or key buckets). Where the run routed rows by one key column, that
     * column's values lie in one bucket each, so its distinct estimates add up; elsewhere the largest stands.
     */
    private static List<ColumnStatistics> statistics(List<ChunkResult> pieces, Set<String> disjoint) {
        Map<String, ColumnStatistics> total = new LinkedHashMap<>();
        for (ChunkResult piece : pieces) {
            for (ColumnStatistics column : piece.statistics()) {
                total.merge(column.name(), column, disjoint.contains(column.name()) ? ColumnStatistics::mergeDisjoint
                        : ColumnStatistics::merge);
            }
        }
        return List.copyOf(total.values());
    }

    /**
     * Each expectation's results over all chunks: failed rows add up; a row count is the total's, judged against its
     * bounds (1 failed when out of them).
     */
    private static List<ExpectationResult> expectations(List<ChunkResult> chunks, PipelineDefinition definition) {
        Map<String, ExpectationResult> total = new LinkedHashMap<>();
        for (ChunkResult chunk : chunks) {
            for (ExpectationResult r : chunk.expectations()) {
                total.merge(r.name(), r, (a, b) -> new ExpectationResult(a.name(), a.expect(), a.onFailure(),
                        a.failed() + b.failed(), a.observed() == null ? null : a.observed() + b.observed()));
            }
        }
        for (Expectation e : definition.expectations()) {
            total.computeIfPresent(e.name(), (name, r) -> !e.expect().equals("rowCount") ? r
                    : new ExpectationResult(name, r.expect(), r.onFailure(),
                            ExpectationRun.outOfBounds(e, r.observed()).isPresent() ? 1 : 0, r.observed()));
        }
        return List.copyOf(total.values());
    }

    /** Points latest.json at this run unless a newer run is already there; safe against concurrent commits. */
    private void advanceLatest(Manifest manifest, String manifestName) {
        BlobStore blobs = runs.blobs();
        String latestName = RunLayout.latest(manifest.pipeline());
        LatestPointer pointer = new LatestPointer(manifest.pipeline(), manifest.runId(), manifestName,
                manifest.committedAt());
        while (true) {
            Optional<BlobStore.Versioned> current = blobs.read(RunLayout.TRAINING, latestName);
            if (current.isPresent()) {
                LatestPointer there = Json.read(current.get().content(), LatestPointer.class);
                if (there.runId().compareTo(manifest.runId()) >= 0) {
                    return;
                }
            }
            if (blobs.putIfUnchanged(RunLayout.TRAINING, latestName, Json.bytes(pointer),
                    current.map(BlobStore.Versioned::etag).orElse(null))) {
                return;
            }
        }
    }
}
