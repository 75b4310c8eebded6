package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.output.SplitName;
import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.source.SourceFormat;
import io.tributary.definition.step.LookupStep;
import io.tributary.engine.ChunkCutter;
import io.tributary.engine.KeyRouting;
import io.tributary.engine.ParquetChunks;
import io.tributary.engine.SchemaProbe;
import io.tributary.engine.SourceDecoder;
import io.tributary.engine.TransformFailedException;
import io.tributary.fetch.SourceException;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.port.SourceChangedException;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.JobMessage;
import io.tributary.run.FetchRecord;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunPlan;
import io.tributary.run.SourceSchema;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.run.TransformMessage;
import io.tributary.table.RunTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Plans a run: fetches the source when it is an API or a database (once: see {@link SourceFetch}), else checks
 * that the source version the run was started for is still there; pins the version of
 * each lookup reference, decides the columns the run reads when they are inferred or may drift (from a sample of
 * the source, recorded once), and cuts the source into chunks at record boundaries, one transform message each
 * (fan-out).
 */
public final class ExtractStage {

    /** The largest JSON array a run reads whole to infer its columns. */
    static final long MAX_WHOLE_SAMPLE = 64L << 20;

    private final RunStore runs;
    private final StageQueue queue;
    private final SchemaProbe probe;
    private final RunTables tables;
    private final Path workRoot;
    private final Clock clock;
    private final SourceFetch fetch;
    private final DefinitionAccess access;

    /**
     * A stage whose runs read the containers {@link DefinitionAccess#DEFAULT} allows.
     *
     * @param fetch fetches the sources that are APIs or databases
     */
    public ExtractStage(RunStore runs, StageQueue queue, SchemaProbe probe, SourceFetch fetch, Path workRoot,
                        Clock clock) {
        this(runs, queue, probe, fetch, workRoot, clock, DefinitionAccess.DEFAULT);
    }

    /**
     * @param fetch  fetches the sources that are APIs or databases
     * @param access the containers a run may read: one whose definition names another fails before reading it
     */
    public ExtractStage(RunStore runs, StageQueue queue, SchemaProbe probe, SourceFetch fetch, Path workRoot,
                        Clock clock, DefinitionAccess access) {
        this(runs, queue, probe, fetch, workRoot, clock, access, RunTables.standard(runs.blobs(), clock,
                workRoot.resolve("tables"), io.tributary.engine.EngineLimits.DEFAULT));
    }

    /** @param tables the pipelines' tables, for a run that reads a version of one (a dataset trigger) */
    public ExtractStage(RunStore runs, StageQueue queue, SchemaProbe probe, SourceFetch fetch, Path workRoot,
                        Clock clock, DefinitionAccess access, RunTables tables) {
        this.tables = tables;
        this.access = access;
        this.runs = runs;
        this.fetch = fetch;
        this.queue = queue;
        this.probe = probe;
        this.workRoot = workRoot;
        this.clock = clock;
    }

    /**
     * Plans the run in {@code message}; does nothing for a run that already ended.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(ExtractMessage message, boolean lastAttempt) {
        handle(message, Optional.empty(), lastAttempt);
    }

    /**
     * Plans the run in {@code message} with its definition snapshot, when the caller has read it already.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    void handle(ExtractMessage message, Optional<PipelineDefinition> snapshot, boolean lastAttempt) {
        RunId runId = message.runId();
        if (runs.outcome(runId).isPresent() || runs.failIfCancelled(runId, Stage.EXTRACT, -1, clock.instant())) {
            return;
        }
        Instant started = clock.instant();
        StageReport report = StageReport.running(Stage.EXTRACT, -1, started);
        try {
            runs.report(runId, report);
            PipelineDefinition definition = snapshot.orElseGet(() -> runs.definition(runId));
            Optional<String> refused = access.readRefusal(definition);
            if (refused.isPresent()) {
                // Whatever let the definition through, its run reads nothing it may not.
                runs.attemptFailed(runId, report, refused.get(), true, clock.instant());
                return;
            }
            BlobRef source;
            long size;
            List<ChunkSource> parts = List.of();
            Optional<List<ChunkSource>> jobOutput = definition.job().isPresent() ? jobOutput(runId) : Optional.empty();
            if (jobOutput.isPresent()) {
                // The transform job succeeded: its output is the run's input, read as the job wrote it.
                parts = jobOutput.get();
                if (parts.isEmpty()) {
                    runs.attemptFailed(runId, report, "the transform job succeeded but wrote no output files under "
                            + RunLayout.RUNS + "/" + RunLayout.jobOutput(runId, latestTransformAttempt(runId))
                            + " (its ${output.uri}); make the job write its result there", true, clock.instant());
                    return;
                }
                definition = definition.transformInput();
                source = parts.get(0).blob();
                size = parts.get(0).size();
            } else if (definition.dataset().isPresent() && readsDataset(message.source())) {
                parts = datasetParts(definition, message.source());
                if (parts.isEmpty()) {
                    runs.attemptFailed(runId, report, "the upstream dataset " + message.source() + " has no Parquet "
                            + "parts" + (definition.dataset().get().splits().isEmpty() ? "" : " in the splits "
                            + definition.dataset().get().splits().stream().map(SplitName::text)
                            .collect(java.util.stream.Collectors.joining(", "))) + ", so there is nothing to read; "
                            + "check the trigger's \"splits\" against the upstream's split names", true, clock.instant());
                    return;
                }
                source = parts.get(0).blob();
                size = parts.get(0).size();
            } else if (definition.fetched().isPresent()) {
                FetchRecord fetched = fetch.fetch(runId, definition);
                source = fetched.spool();
                size = fetched.bytes();
            } else {
                Optional<BlobInfo> info = runs.blobs().properties(message.source().container(), message.source().name());
                if (info.isEmpty() || !info.get().etag().equals(message.source().etag())) {
                    runs.attemptFailed(runId, report, "the source " + message.source()
                            + (info.isEmpty() ? " was deleted" : " was overwritten") + " before the run read it; a new "
                            + "version of the file starts a run of its own", true, clock.instant());
                    return;
                }
                source = message.source();
                size = info.get().size();
            }
            if (definition.job().isPresent() && jobOutput.isEmpty()) {
                // The transform is a job: it reads the source, and the run comes back here once its output is there.
                queue.send(RunLayout.JOB_QUEUE, new JobMessage(runId, message.pipeline(),
                        io.tributary.definition.job.Job.TRANSFORM, nextTransformAttempt(runId), 0, message.source()));
                runs.report(runId, report.succeeded(clock.instant(), 0, 0, 0));
                return;
            }
            if (SchemaProbe.needsSample(definition)) {
                runs.recordSourceSchema(runId, sourceSchema(definition, source, size));
            }
            List<BlobRef> references = new ArrayList<>();
            for (LookupStep lookup : definition.lookups()) {
                Optional<BlobInfo> reference = runs.blobs().properties(lookup.container(), lookup.blob());
                if (reference.isEmpty()) {
                    runs.attemptFailed(runId, report, "the lookup reference '" + lookup.from() + "' does not exist; "
                            + "upload it (or fix the lookup's \"from\"), then start the run again", true, clock.instant());
                    return;
                }
                references.add(new BlobRef(lookup.container(), lookup.blob(), reference.get().etag()));
            }
            // The first plan recorded stands: a redelivery or a rerun hands transform the very same chunks.
            List<ChunkSource> dataset = parts;
            PipelineDefinition planned = definition;
            BlobRef whole = source;
            long wholeSize = size;
            RunPlan plan = runs.plan(runId).orElseGet(() -> runs.recordPlan(runId, dataset.isEmpty()
                    ? plan(message, planned, whole, wholeSize, references) : plan(message, planned, dataset, references)));
            for (TransformMessage chunk : plan.chunks()) {
                queue.send(RunLayout.TRANSFORM_QUEUE, chunk);
            }
            runs.report(runId, report.succeeded(clock.instant(), 0, 0, 0));
        } catch (SourceException e) {
            // A source that may answer later is tried again, until the host's last delivery; not one the fetcher
            // already retried as often as the definition allows (a REST API), which a new delivery would only call
            // again at once.
            boolean retry = e.retryable() && !lastAttempt;
            runs.attemptFailed(runId, report, e.describe(), !retry, clock.instant());
            if (retry) {
                throw e;
            }
        } catch (TransformFailedException | SourceChangedException e) {
            // Retrying cannot help: the input does not fit the definition, or it is gone.
            runs.attemptFailed(runId, report, Failures.reason(e), true, clock.instant());
        } catch (RuntimeException e) {
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw e;
        }
    }

    /**
     * One transform message per chunk of {@code source} (see {@link #cuts}); a source that can only be cut once
     * decoded (see {@link #mustDecode}) is decoded into the run's folder first, and its chunks read from there.
     */
    private RunPlan plan(ExtractMessage message, PipelineDefinition definition, BlobRef source, long size,
                         List<BlobRef> references) {
        if (definition.source().isParquet() && size > definition.chunkSize()) {
            return planParts(message, definition, source, references);
        }
        if (mustDecode(definition, source, size)) {
            BlobRef decoded = decode(message.runId(), definition.source(), source);
            long decodedSize = runs.blobs().properties(decoded.container(), decoded.name()).orElseThrow().size();
            return plan(message, definition.withSource(definition.source().decoded()), decoded, decodedSize,
                    cuts(definition.withSource(definition.source().decoded()), decoded, decodedSize), references);
        }
        return plan(message, definition, source, size, cuts(definition, source, size), references);
    }

    private RunPlan plan(ExtractMessage message, PipelineDefinition definition, BlobRef source, long size,
                         List<ChunkCutter.Cut> cuts, List<BlobRef> references) {
        // Rows that a step or expectation judges together meet in key buckets once the source is cut (KeyRouting).
        int buckets = cuts.size() == 1 ? 0 : KeyRouting.of(definition).map(r -> r.buckets(cuts.size())).orElse(0);
        List<TransformMessage> chunks = new ArrayList<>();
        for (int i = 0; i < cuts.size(); i++) {
            ChunkCutter.Cut cut = cuts.get(i);
            chunks.add(new TransformMessage(TransformMessage.VERSION, message.runId(), message.pipeline(), source, i,
                    cuts.size(), cut.offset(), cut.length(), references, cut.header(), cut.lineOffset(), buckets));
        }
        return new RunPlan(chunks);
    }

    /**
     * One transform message per part of a Parquet source larger than a chunk, cut into parts of about the chunk size
     * ({@link ParquetChunks}) in the run's folder: each part's rows are numbered on from the parts before it.
     */
    private RunPlan planParts(ExtractMessage message, PipelineDefinition definition, BlobRef source,
                              List<BlobRef> references) {
        Path work = workRoot.resolve("parts-" + UUID.randomUUID());
        try {
            Files.createDirectories(work);
            Path file = work.resolve("source.parquet");
            runs.blobs().download(source, file);
            List<ParquetChunks.Part> parts = ParquetChunks.cut(file, work.resolve("parts"), definition.chunkSize(),
                    probe.limits(), work);
            int buckets = parts.size() == 1 ? 0 : KeyRouting.of(definition).map(r -> r.buckets(parts.size())).orElse(0);
            List<TransformMessage> chunks = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                String name = RunLayout.sourcePart(message.runId(), i);
                runs.blobs().upload(RunLayout.RUNS, name, parts.get(i).file());
                BlobInfo uploaded = runs.blobs().properties(RunLayout.RUNS, name).orElseThrow();
                chunks.add(new TransformMessage(TransformMessage.VERSION, message.runId(), message.pipeline(),
                        new BlobRef(RunLayout.RUNS, name, uploaded.etag()), i, parts.size(), 0, uploaded.size(),
                        references, 0, parts.get(i).rowsBefore(), buckets));
            }
            return new RunPlan(chunks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkDirs.delete(work);
        }
    }

    /**
     * Whether the source must be decoded before it can be cut into chunks: a text source that is gzip, in a character
     * set whose bytes hide its line breaks, or a JSON document, once it is large enough that it may be more than one
     * chunk (a tenth of the chunk size, as gzip often shrinks text tenfold). Smaller ones are one chunk, decoded by
     * transform itself.
     */
    private boolean mustDecode(PipelineDefinition definition, BlobRef source, long size) {
        SourceFormat format = definition.source();
        if (!format.isText() || !ChunkCutter.cuttable(format.decoded()) || size <= definition.chunkSize() / 10) {
            return false;
        }
        if (!ChunkCutter.cuttable(format)) {
            return true;
        }
        if (!format.compression().equals("auto")) {
            return false;
        }
        ByteArrayOutputStream start = new ByteArrayOutputStream();
        runs.blobs().download(source, 0, 2, start);
        return SourceDecoder.isGzip(start.toByteArray());
    }

    /**
     * Decodes {@code source} into the run's folder ({@link RunLayout#decoded}), streaming through local files; the
     * same bytes whichever attempt writes them. Nothing is uploaded of a source that fails to decode (a gzip cut
     * short, one that expands beyond the limits): the run fails naming it.
     */
    private BlobRef decode(RunId runId, SourceFormat format, BlobRef source) {
        Path work = workRoot.resolve("decode-" + UUID.randomUUID());
        try {
            Files.createDirectories(work);
            Path dropped = work.resolve("source");
            runs.blobs().download(source, dropped);
            Path decoded;
            try {
                decoded = SourceDecoder.decode(format, dropped, work, probe.limits());
            } catch (TransformFailedException e) {
                throw e.at(source.container() + "/" + source.name());
            }
            Files.delete(dropped);
            String name = RunLayout.decoded(runId, format.isCsv() ? "csv" : "jsonl");
            runs.blobs().upload(RunLayout.RUNS, name, decoded);
            return runs.blobs().current(RunLayout.RUNS + "/" + name).orElseThrow(() -> new IllegalStateException(
                    "the decoded source " + name + " is not there after its upload"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkDirs.delete(work);
        }
    }

    /** Whether the run reads a committed dataset through its manifest (else a file given by hand, say). */
    private static boolean readsDataset(BlobRef source) {
        return source != null && source.container().equals(RunLayout.TRAINING)
                && source.name().endsWith("/" + RunLayout.MANIFEST);
    }

    /** One Parquet part of an upstream dataset, at the version the run reads, with its size. */
    private record ChunkSource(BlobRef blob, long size) {
    }

    /**
     * The files the run's transform job wrote, once its latest attempt succeeded: every blob under its output folder
     * but {@code _}- and {@code .}-named ones ({@code _SUCCESS}, {@code .crc} files), in name order, each pinned to its
     * ETag; empty while the job has not succeeded.
     */
    private Optional<List<ChunkSource>> jobOutput(RunId runId) {
        int attempt = latestTransformAttempt(runId);
        if (attempt == 0) {
            return Optional.empty();
        }
        Optional<io.tributary.run.JobRecord> record = runs.blobs().read(RunLayout.RUNS, RunLayout.jobRecord(runId,
                io.tributary.definition.job.Job.TRANSFORM, attempt)).map(v -> io.tributary.run.Json.read(v.content(),
                io.tributary.run.JobRecord.class));
        if (record.isEmpty() || !record.get().isOver() || record.get().outcome() != null) {
            return Optional.empty();
        }
        String folder = RunLayout.jobOutput(runId, attempt);
        List<ChunkSource> parts = new ArrayList<>();
        for (String name : runs.blobs().list(RunLayout.RUNS, folder).stream().sorted().toList()) {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (file.isEmpty() || file.startsWith("_") || file.startsWith(".") || name.substring(folder.length())
                    .contains("/_")) {
                continue;
            }
            runs.blobs().properties(RunLayout.RUNS, name).filter(info -> info.size() > 0).ifPresent(info ->
                    parts.add(new ChunkSource(new BlobRef(RunLayout.RUNS, name, info.etag()), info.size())));
        }
        return Optional.of(parts);
    }

    /**
     * The attempt of the transform job this extract hands on: the latest while it runs (a redelivery submits nothing
     * new), the next once the latest ended without success (a rerun of the failed run starts a new attempt, with a
     * key of its own, on purpose), the first when none was submitted.
     */
    private int nextTransformAttempt(RunId runId) {
        int latest = latestTransformAttempt(runId);
        if (latest == 0) {
            return 1;
        }
        boolean failed = runs.blobs().read(RunLayout.RUNS, RunLayout.jobRecord(runId,
                io.tributary.definition.job.Job.TRANSFORM, latest)).map(v -> io.tributary.run.Json.read(v.content(),
                io.tributary.run.JobRecord.class)).filter(r -> r.isOver() && r.outcome() != null).isPresent();
        return failed ? latest + 1 : latest;
    }

    /** The newest attempt of the run's transform job that has a record, or 0 when none was submitted. */
    private int latestTransformAttempt(RunId runId) {
        String prefix = RunLayout.jobsPrefix(runId) + io.tributary.definition.job.Job.TRANSFORM + "-";
        return runs.blobs().list(RunLayout.RUNS, prefix).stream().filter(n -> n.endsWith(".json"))
                .map(n -> n.substring(prefix.length(), n.length() - ".json".length()))
                .filter(n -> n.matches("\\d{1,4}")).mapToInt(Integer::parseInt).max().orElse(0);
    }

    /**
     * The parts of the upstream dataset whose committed manifest is {@code manifest} that the run reads: those of the
     * trigger's splits, in the manifest's order, each pinned to its ETag. Committed parts never change.
     */
    private List<ChunkSource> datasetParts(PipelineDefinition definition, BlobRef manifest) {
        BlobStore.Versioned read = runs.blobs().read(manifest.container(), manifest.name())
                .orElseThrow(() -> new SourceChangedException("the upstream manifest " + manifest + " is gone; the "
                        + "upstream run's dataset was deleted before this run read it", null));
        Manifest upstream = io.tributary.run.Json.read(read.content(), Manifest.class);
        if (upstream.table() != null) {
            return tableParts(definition, manifest, upstream);
        }
        String folder = manifest.name().substring(0, manifest.name().length() - RunLayout.MANIFEST.length());
        List<ChunkSource> parts = new ArrayList<>();
        for (Manifest.DataFile file : upstream.files()) {
            if (!definition.dataset().get().reads(file.split()) || !file.path().endsWith(".parquet")) {
                continue;
            }
            String name = folder + file.path();
            BlobInfo info = runs.blobs().properties(manifest.container(), name).orElseThrow(() ->
                    new SourceChangedException("the part " + manifest.container() + "/" + name + " of the upstream "
                            + "dataset is gone; the upstream run's dataset was deleted before this run read it", null));
            parts.add(new ChunkSource(new BlobRef(manifest.container(), name, info.etag()), info.size()));
        }
        return parts;
    }

    /**
     * The data files of the upstream table at the version the upstream run committed (the whole table as it was
     * then, not only what that run added), of the trigger's splits, each pinned to its ETag.
     */
    private List<ChunkSource> tableParts(PipelineDefinition definition, BlobRef manifest, Manifest upstream) {
        io.tributary.table.Snapshot version = tables.log(upstream.pipeline()).at(upstream.table().version());
        String root = RunLayout.table(upstream.pipeline());
        List<ChunkSource> parts = new ArrayList<>();
        for (io.tributary.table.Action.AddFile file : version.files().values()) {
            String split = file.partitionValues().get(RunLayout.SPLIT_PARTITION);
            if (!definition.dataset().get().reads(split == null ? io.tributary.engine.ChunkOutput.NO_SPLIT
                    : new io.tributary.definition.output.SplitName(split))) {
                continue;
            }
            String name = root + io.tributary.table.DataPaths.decode(file.path());
            BlobInfo info = runs.blobs().properties(manifest.container(), name).orElseThrow(() ->
                    new SourceChangedException("the data file " + manifest.container() + "/" + name + " of version "
                            + version.version() + " of the upstream table is gone (vacuumed, or deleted by hand) "
                            + "before this run read it", null));
            parts.add(new ChunkSource(new BlobRef(manifest.container(), name, info.etag()), info.size()));
        }
        return parts;
    }

    /**
     * One transform message per part of an upstream dataset: each part is read whole, straight from where the
     * upstream committed it; rows that a step needs together meet in key buckets as with any cut source.
     */
    private RunPlan plan(ExtractMessage message, PipelineDefinition definition, List<ChunkSource> parts,
                         List<BlobRef> references) {
        int buckets = parts.size() == 1 ? 0 : KeyRouting.of(definition).map(r -> r.buckets(parts.size())).orElse(0);
        List<TransformMessage> chunks = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            chunks.add(new TransformMessage(TransformMessage.VERSION, message.runId(), message.pipeline(),
                    parts.get(i).blob(), i, parts.size(), 0, parts.get(i).size(), references, 0, 0, buckets));
        }
        return new RunPlan(chunks);
    }

    /**
     * The chunks of {@code source}: cut at record boundaries about every {@link PipelineDefinition#chunkSize} bytes,
     * reading it once, when it is larger than that and can be cut ({@link ChunkCutter#cuttable}); else the whole.
     */
    private List<ChunkCutter.Cut> cuts(PipelineDefinition definition, BlobRef source, long size) {
        List<ChunkCutter.Cut> whole = List.of(new ChunkCutter.Cut(0, size, 0, 0));
        if (size <= definition.chunkSize() || !ChunkCutter.cuttable(definition.source())) {
            return whole;
        }
        if (definition.source().compression().equals("auto")) {
            ByteArrayOutputStream start = new ByteArrayOutputStream();
            runs.blobs().download(source, 0, 2, start);
            if (SourceDecoder.isGzip(start.toByteArray())) {
                return whole;
            }
        }
        ChunkCutter cutter = new ChunkCutter(definition.source(), definition.chunkSize());
        runs.blobs().download(source, 0, size, cutter);
        return cutter.cuts();
    }

    /**
     * The columns the run reads, from a sample of its source: the first bytes, as many as the definition's
     * {@code inferenceSample}, or, for
     * a JSON document, which only reads whole, all of it up to {@link #MAX_WHOLE_SAMPLE}, or, for Parquet, whose
     * columns are listed at its end, all of it.
     */
    private SourceSchema sourceSchema(PipelineDefinition definition, BlobRef source, long size) {
        boolean json = definition.source().format().equals("json");
        boolean whole = json || definition.source().isParquet();
        if (json && size > MAX_WHOLE_SAMPLE) {
            throw new TransformFailedException("the source is a JSON array of " + size / (1 << 20) + " MiB; its "
                    + "columns can be inferred from arrays up to " + MAX_WHOLE_SAMPLE / (1 << 20) + " MiB: declare "
                    + "\"columns\", or write JSON Lines", null);
        }
        long length = whole ? size : Math.min(size, definition.inferenceSample());
        Path work = workRoot.resolve("sample-" + UUID.randomUUID());
        try {
            Files.createDirectories(work);
            Path sample = work.resolve("sample");
            runs.blobs().download(source, 0, length, sample);
            return probe.probe(definition, sample, length == size, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkDirs.delete(work);
        }
    }
}
