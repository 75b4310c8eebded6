package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.source.FetchedSource;
import io.tributary.definition.source.Incremental;
import io.tributary.fetch.FetchContext;
import io.tributary.fetch.FetchResult;
import io.tributary.fetch.Fetcher;
import io.tributary.fetch.Fetchers;
import io.tributary.fetch.SourceException;
import io.tributary.run.BlobRef;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.Watermark;
import io.tributary.run.SecretMask;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Fetches the source of a run that reads an API or a database, once: the records go to the run's spool blob as
 * JSON Lines, then a create-only {@link FetchRecord} says they are complete. A redelivered extract finds the record
 * and reuses the spool; an attempt that died half-way left no record, and the next one fetches afresh.
 *
 * <p>What comes out of the fetcher is masked ({@link SecretMask}, from every setting the definition refers to)
 * before anything keeps it: the records, the requests lineage and the manifest show, and the message of a failure.
 *
 * <p>An incremental run reads the records after the pipeline's high-water mark ({@link Watermark}), unless it was
 * started with {@value #FULL_REFRESH}{@code =true}; its range goes into the record, and the store stage moves the
 * mark once the run commits.
 */
public final class SourceFetch {

    /** The run parameter that makes an incremental run read everything again. */
    public static final String FULL_REFRESH = "fullRefresh";
    /** The run parameter that carries the low watermark into URLs and queries. */
    public static final String WATERMARK = "watermark";

    private final RunStore runs;
    private final Function<PipelineDefinition, Fetcher> fetchers;
    private final Function<String, Optional<String>> settings;
    private final Path workRoot;
    private final Watermarks watermarks;

    /**
     * @param fetchers makes the fetcher for a definition's fetched source
     * @param settings app settings by name, for {@code %NAME%} references
     */
    public SourceFetch(RunStore runs, Function<PipelineDefinition, Fetcher> fetchers,
                       Function<String, Optional<String>> settings, Path workRoot) {
        this.runs = runs;
        this.fetchers = fetchers;
        this.settings = settings;
        this.workRoot = workRoot;
        this.watermarks = new Watermarks(runs.blobs());
    }

    /**
     * The run's fetched records: those an earlier attempt recorded, else fetched now.
     *
     * @throws io.tributary.fetch.SourceException when the source cannot be read
     */
    public FetchRecord fetch(RunId runId, PipelineDefinition definition) {
        Optional<FetchRecord> done = runs.fetchRecord(runId);
        if (done.isPresent()) {
            return done.get();
        }
        FetchedSource source = definition.fetched().orElseThrow();
        RunRecord record = runs.record(runId).orElseThrow(() -> new IllegalStateException("run " + runId
                + " has no run record"));
        boolean fullRefresh = Boolean.parseBoolean(record.parameters().getOrDefault(FULL_REFRESH, "false"));
        Optional<String> low = definition.incremental().flatMap(inc -> fullRefresh ? inc.initial()
                : watermark(definition.name(), inc).or(inc::initial));
        Map<String, String> parameters = new HashMap<>(record.parameters());
        parameters.put(WATERMARK, low.orElse(""));
        Path work = workRoot.resolve("fetch-" + UUID.randomUUID());
        try {
            Files.createDirectories(work);
            Path spool = work.resolve("records.jsonl");
            SecretMask secrets = SecretMask.of(definition.text(), settings);
            FetchResult result;
            long bytes;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16);
                 SecretFreeRecords out = new SecretFreeRecords(file, secrets)) {
                result = masked(secrets, () -> fetchers.apply(definition).fetch(
                        new FetchContext(parameters, allowedSettings(definition), low, secrets), out));
                out.close();
                bytes = out.count();
            }
            String name = RunLayout.spool(runId, work.getFileName().toString());
            runs.blobs().upload(RunLayout.RUNS, name, spool);
            BlobRef spooled = new BlobRef(RunLayout.RUNS, name,
                    runs.blobs().properties(RunLayout.RUNS, name).orElseThrow().etag());
            FetchRecord.WatermarkRange range = definition.incremental().map(inc -> new FetchRecord.WatermarkRange(
                    inc.cursor(), low.orElse(null), result.highWatermark().or(() -> low).orElse(null), fullRefresh))
                    .orElse(null);
            FetchRecord fetched = new FetchRecord(source.kind(), spooled, result.records(), bytes,
                    result.requests().stream().map(secrets::mask).toList(), range);
            if (!runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.fetchRecord(runId), Json.bytes(fetched))) {
                // A concurrent duplicate recorded first; its records are the run's.
                runs.blobs().delete(RunLayout.RUNS, name);
                return runs.fetchRecord(runId).orElseThrow();
            }
            return fetched;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkDirs.delete(work);
        }
    }

    /**
     * What {@code fetch} returns; a failure it throws with every secret in its message masked. A failure that
     * held a secret loses its cause, whose messages (a driver's, a parser's) may hold it too; it keeps its stack.
     */
    private static FetchResult masked(SecretMask secrets, java.util.function.Supplier<FetchResult> fetch) {
        try {
            return fetch.get();
        } catch (SourceException e) {
            if (!secrets.reveals(e.getMessage()) && !revealsInCauses(secrets, e)) {
                throw e;
            }
            SourceException masked = new SourceException(e.kind(), secrets.mask(e.getMessage()), null,
                    e.retryable());
            masked.setStackTrace(e.getStackTrace());
            throw masked;
        } catch (RuntimeException e) {
            if (!secrets.reveals(e.getMessage()) && !revealsInCauses(secrets, e)) {
                throw e;
            }
            IllegalStateException masked = new IllegalStateException(secrets.mask(Failures.describe(e)));
            masked.setStackTrace(e.getStackTrace());
            throw masked;
        }
    }

    private static boolean revealsInCauses(SecretMask secrets, Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (secrets.reveals(cause.getMessage()) || secrets.reveals(cause.toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The app settings as {@code definition} may read them: a setting that {@link SettingAccess} refuses (by the
     * allow-list the settings hold now) fails the fetch before its value is read, let alone sent anywhere, whatever
     * let the definition through before.
     */
    private Function<String, Optional<String>> allowedSettings(PipelineDefinition definition) {
        return DefinitionAccess.from(settings).settings().guard(settings, (name, why) -> new SourceException(
                SourceException.Kind.CONFIGURATION, "the source of " + definition.name() + " names %" + name + "%, and "
                + why));
    }

    /** Fetches with the fetchers {@link Fetchers} makes for each kind of source. */
    public static SourceFetch standard(RunStore runs, Function<String, Optional<String>> settings, Path workRoot) {
        return new SourceFetch(runs, d -> Fetchers.of(d.fetched().orElseThrow(), d.incremental()), settings,
                workRoot);
    }

    /**
     * The pipeline's high-water mark for {@code incremental}'s cursor, if a committed run left one; empty (read from
     * the start) when it is for another cursor or a full load that found nothing set it.
     */
    private Optional<String> watermark(String pipeline, Incremental incremental) {
        return watermarks.current(pipeline).filter(m -> incremental.cursor().equals(m.cursor()))
                .map(Watermark.Mark::value);
    }
}
