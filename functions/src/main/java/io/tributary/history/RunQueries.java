package io.tributary.history;

import io.tributary.port.BlobInfo;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.port.SourceChangedException;
import io.tributary.port.StageRow;
import io.tributary.run.RunId;
import io.tributary.run.RunState;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.stage.Failures;
import io.tributary.stage.RunStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Questions about runs, answered from the run history ({@link RunIndex}) and, for one run in full, from its blobs.
 *
 * <p>The history is written after the blobs, and a write after a run ended is only logged when it fails: a run the
 * history still shows {@code running} is checked against its blobs when read, and mended once its outcome exists.
 */
public final class RunQueries {

    private static final Logger LOG = io.tributary.run.LogContext.logger(RunQueries.class);
    /** The most reject records a run's details show. */
    public static final int REJECT_SAMPLE = 20;
    /** How much of a rejects file is read for the sample: 20 records of a few hundred bytes, with room to spare. */
    static final int SAMPLE_BYTES = 64 * 1024;

    private final RunStore runs;
    private final RunHistory history;

    public RunQueries(RunStore runs) {
        this.runs = runs;
        this.history = new RunHistory(runs);
    }

    /**
     * One run in full.
     *
     * @param stages        its stages, chunks and key buckets, in the order they run
     * @param manifest      present once it committed
     * @param rejectCount   the rows it rejected so far
     * @param rejectSample  up to {@link #REJECT_SAMPLE} of them, as stored in the dataset's {@code _rejects/}
     */
    public record RunDetail(RunSummary run, List<StageRow> stages, Optional<Manifest> manifest, long rejectCount,
                            List<Map<String, Object>> rejectSample) {
    }

    /**
     * The runs {@code filter} asks for, newest first. Runs the history still shows running are checked against their
     * blobs and mended, so a run whose ending the history missed is found by the status it ended with too.
     */
    public List<RunSummary> runs(RunIndex.Filter filter) {
        List<RunSummary> indexed = new ArrayList<>(runs.index().runs(filter));
        if (filter.status() != null && filter.status() != RunState.RUNNING) {
            indexed.addAll(runs.index().runs(new RunIndex.Filter(filter.pipeline(), RunState.RUNNING, filter.since(),
                    filter.until(), filter.limit())));
            indexed.sort(java.util.Comparator.comparing(RunSummary::runId).reversed());
        }
        List<RunSummary> found = new ArrayList<>();
        for (RunSummary summary : indexed) {
            RunSummary current = summary.status() == RunState.RUNNING ? mend(summary) : summary;
            if (found.size() < filter.limit() && (filter.status() == null || filter.status() == current.status())) {
                found.add(current);
            }
        }
        // The history orders by the run id's time; a backfilled window's run starts long after its id's time.
        found.sort(NEWEST_STARTED_FIRST);
        return found;
    }

    /**
     * Checks that {@code pipeline} is one: a definition names it (loaded or with problems), or the run history has a
     * run of it (its definition since removed).
     *
     * @throws IllegalArgumentException {@code no pipeline named 'x'}, with a "did you mean" and the pipelines there are
     */
    public void requirePipeline(io.tributary.definition.PipelineCatalog catalog, String pipeline) {
        if (!catalog.defines(pipeline) && latest(pipeline).isEmpty()) {
            throw new IllegalArgumentException(catalog.noSuch(pipeline));
        }
    }

    /** Newest start first; runs started in the same instant, newest run id first. */
    static final java.util.Comparator<RunSummary> NEWEST_STARTED_FIRST = java.util.Comparator
            .comparing(RunSummary::startedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
            .thenComparing(RunSummary::runId, java.util.Comparator.reverseOrder());

    /** The newest run of {@code pipeline}, whatever its status. */
    public Optional<RunSummary> latest(String pipeline) {
        return runs(new RunIndex.Filter(pipeline, null, null, null, 1)).stream().findFirst();
    }

    /** Run {@code runId} in full, from its blobs and its stage history; empty when there is no such run. */
    public Optional<RunDetail> run(RunId runId) {
        Optional<RunHistory.RunStatus> status = history.status(runId);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        RunRecord record = status.get().record();
        RunSummary summary = summary(record, status.get().outcome(), status.get().manifest(), status.get().stages());
        Map<String, StageRow> indexed = new HashMap<>();
        for (StageRow row : runs.index().stages(runId)) {
            indexed.put(RunLayout.stageKey(row.stage(), row.chunk()), row);
        }
        List<StageRow> stages = new ArrayList<>();
        long rejected = 0;
        for (StageReport report : status.get().stages()) {
            StageRow row = indexed.get(RunLayout.stageKey(report.stage(), report.chunk()));
            // The report is the truth; the history adds what reports do not keep: attempts and bytes.
            stages.add(new StageRow(report.stage(), report.chunk(), report.status(), report.startedAt(),
                    report.finishedAt(), report.rowsIn(), report.rowsOut(), report.rowsRejected(),
                    row == null ? null : row.bytes(), row == null ? 0 : row.attempts(), report.error()));
            if (report.stage() != Stage.STORE && report.status() == StageStatus.SUCCEEDED) {
                rejected += report.rowsRejected();
            }
        }
        long rejectCount = status.get().manifest().map(m -> m.rows().rejected()).orElse(rejected);
        return Optional.of(new RunDetail(summary, stages, status.get().manifest(), rejectCount,
                rejectSample(record.pipeline(), runId)));
    }

    /**
     * The first {@link #REJECT_SAMPLE} reject records of a run, from its rejects files in the dataset's folder (they
     * stay there when a run fails), in the order of the files' names. Only the head of each file is read
     * ({@link #SAMPLE_BYTES}): a run with millions of rejects costs no more than one with twenty.
     */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rejectSample(String pipeline, RunId runId) {
        List<Map<String, Object>> sample = new ArrayList<>();
        String prefix = RunLayout.datasetFolder(pipeline, runId) + "_rejects/";
        for (String name : runs.blobs().list(RunLayout.TRAINING, prefix).stream().sorted().toList()) {
            Optional<BlobInfo> file = runs.blobs().properties(RunLayout.TRAINING, name);
            if (file.isEmpty() || file.get().size() == 0) {
                continue;
            }
            long length = Math.min(file.get().size(), SAMPLE_BYTES);
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            try {
                runs.blobs().download(new BlobRef(RunLayout.TRAINING, name, file.get().etag()), 0, length, head);
            } catch (SourceChangedException e) {
                continue; // gone since it was listed (a run's rejects are written once)
            }
            String text = head.toString(StandardCharsets.UTF_8);
            // A head cut short ends in a part of a record: only whole lines count.
            String whole = length == file.get().size() ? text : text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : whole.split("\n")) {
                if (sample.size() >= REJECT_SAMPLE) {
                    return sample;
                }
                if (!line.isBlank()) {
                    sample.add(Json.read(line.getBytes(StandardCharsets.UTF_8), Map.class));
                }
            }
        }
        return sample;
    }

    /**
     * A run the history shows running: if its outcome exists (the history write after it failed), the history is
     * mended and the run returned as it ended.
     */
    private RunSummary mend(RunSummary summary) {
        Optional<RunOutcome> outcome = runs.outcome(summary.runId());
        if (outcome.isEmpty()) {
            return summary;
        }
        Optional<RunRecord> record = runs.record(summary.runId());
        if (record.isEmpty()) {
            return summary;
        }
        Optional<Manifest> manifest = outcome.get().status() == RunState.COMMITTED
                ? history.manifest(summary.pipeline(), summary.runId()) : Optional.empty();
        try {
            runs.index().ended(record.get(), outcome.get(), manifest.map(RunIndex.Totals::committed).orElse(null));
        } catch (RuntimeException e) {
            LOG.warning("run " + summary.runId() + ": could not mend its history: " + Failures.describe(e));
        }
        return summary(record.get(), outcome, manifest, runs.reports(summary.runId()));
    }

    /**
     * A run's summary from its blobs: the totals of its manifest, else, once it failed, what its stage
     * {@code reports} got through.
     */
    static RunSummary summary(RunRecord record, Optional<RunOutcome> outcome, Optional<Manifest> manifest,
                              List<StageReport> reports) {
        Optional<RunOutcome> failed = outcome.filter(o -> o.status() == RunState.FAILED);
        Optional<RunIndex.Totals> totals = manifest.map(RunIndex.Totals::committed)
                .or(() -> failed.map(f -> RunIndex.Totals.uncommitted(reports)));
        return new RunSummary(record.runId(), record.pipeline(), record.trigger(),
                outcome.map(RunOutcome::status).orElse(RunState.RUNNING), record.startedAt(),
                outcome.map(RunOutcome::at).orElse(null),
                totals.map(RunIndex.Totals::rowsIn).orElse(null), totals.map(RunIndex.Totals::rowsOut).orElse(null),
                totals.map(RunIndex.Totals::rowsRejected).orElse(null), totals.map(RunIndex.Totals::bytes).orElse(null),
                failed.map(RunOutcome::error).orElse(null),
                failed.filter(o -> o.stage() != null).map(RunOutcome::place).orElse(null),
                record.source() == null ? null : record.source().container() + "/" + record.source().name(),
                record.definitionHash(), record.parameters(), record.rerunOf());
    }
}
