package io.tributary.stage;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.run.SourceSchema;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.run.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes a run's state blobs, named by {@link RunLayout}, and projects each change of a run's state into
 * the run history ({@link RunIndex}). The blobs are the truth; the history follows them, written after them:
 * <ul>
 * <li>a stage's report during its attempt ({@link #report}): a history write that fails fails the attempt, which
 *     the queue retries (every write is an idempotent upsert);</li>
 * <li>a failed attempt ({@link #attemptFailed}), a run's outcome ({@link #finish}) and a resume
 *     ({@link #resumed}): the attempt already failed or the run already ended, so a history write that fails is
 *     logged, not thrown; the run history's queries mend a run the history still shows running once its outcome exists.</li>
 * </ul>
 */
public final class RunStore {

    private static final java.util.logging.Logger LOG = io.tributary.run.LogContext.logger(RunStore.class);

    private final BlobStore blobs;
    private final Alerts alerts;
    private final RunIndex index;
    private final RunSettings settings;

    /** A store that keeps no run history. */
    public RunStore(BlobStore blobs) {
        this(blobs, Alerts.OFF, RunIndex.NONE);
    }

    /** @param alerts raises an alert when a run fails */
    public RunStore(BlobStore blobs, Alerts alerts) {
        this(blobs, alerts, RunIndex.NONE);
    }

    /** A store that keeps the run history in {@code index} and raises no alerts. */
    public RunStore(BlobStore blobs, RunIndex index) {
        this(blobs, Alerts.OFF, index);
    }

    /** A store that reads snapshots and masks secrets as this process's settings say. */
    public RunStore(BlobStore blobs, Alerts alerts, RunIndex index) {
        this(blobs, alerts, index, RunSettings.ofProcess());
    }

    /**
     * @param alerts   raises an alert when a run fails
     * @param index    the run history
     * @param settings the access definition snapshots are read under, and the values of the settings they name
     */
    public RunStore(BlobStore blobs, Alerts alerts, RunIndex index, RunSettings settings) {
        this.blobs = blobs;
        this.alerts = alerts;
        this.index = index;
        this.settings = settings;
    }

    /** What runs see of the app's settings. */
    public RunSettings settings() {
        return settings;
    }

    /** Whether someone asked the run to stop ({@code tributary cancel}, the cancel endpoint). */
    public boolean cancelRequested(RunId runId) {
        return cancelRequest(runId).isPresent();
    }

    /**
     * When a job of the run was last heard of (checked, or submitted), if it has any: a job that runs for days is a
     * sign of life of its run although no stage reports meanwhile.
     */
    public Optional<java.time.Instant> lastJobCheck(RunId runId) {
        String prefix = RunLayout.jobsPrefix(runId);
        return blobs.list(RunLayout.RUNS, prefix).stream()
                .filter(name -> name.endsWith(".json") && name.indexOf('/', prefix.length()) < 0)
                .flatMap(name -> blobs.read(RunLayout.RUNS, name).stream())
                .map(v -> Json.read(v.content(), io.tributary.run.JobRecord.class))
                .map(r -> r.checkedAt() != null ? r.checkedAt() : r.handle().submittedAt())
                .max(java.util.Comparator.naturalOrder());
    }

    /** Who asked the run to stop, and when; empty when nobody did. */
    public Optional<io.tributary.run.CancelRequest> cancelRequest(RunId runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.cancelRequest(runId))
                .map(v -> Json.read(v.content(), io.tributary.run.CancelRequest.class));
    }

    /**
     * Fails the run as cancelled when someone asked it to stop, naming the stage (and chunk) that met the request;
     * whether it did. A stage calls it before its work, so that a cancelled run does no more.
     */
    public boolean failIfCancelled(RunId runId, Stage stage, int chunk, java.time.Instant at) {
        Optional<io.tributary.run.CancelRequest> request = cancelRequest(runId);
        request.ifPresent(r -> finish(runId, RunOutcome.failed(at, stage, chunk, r.reason())));
        return request.isPresent();
    }

    public Alerts alerts() {
        return alerts;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The run history this store writes to. */
    public RunIndex index() {
        return index;
    }

    /** Records in the history that run {@code record} started; throws when the history cannot be written. */
    public void indexStarted(RunRecord record) {
        index.started(record);
    }

    /** Records in the history that the run was resumed: it is running again. A failure is logged. */
    public void resumed(RunRecord record, java.time.Duration waited) {
        quietly(record.runId(), () -> index.resumed(record, waited));
    }

    public Optional<RunRecord> record(RunId runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.runRecord(runId)).map(v -> Json.read(v.content(), RunRecord.class));
    }

    /** The definition snapshot the run was started with. */
    public PipelineDefinition definition(RunId runId) {
        byte[] text = blobs.read(RunLayout.RUNS, RunLayout.definition(runId))
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no definition snapshot"))
                .content();
        DefinitionResult result = DefinitionReader.read(RunLayout.RUNS + "/" + RunLayout.definition(runId),
                new String(text, StandardCharsets.UTF_8), null, DefinitionCheck.NONE, settings.access());
        return result.definition().orElseThrow(() -> new IllegalStateException("the definition snapshot of run "
                + runId + " does not read: " + result.problems().get(0).format()));
    }

    /**
     * The columns the run reads: those recorded when it sampled its input, else the definition's own. Records
     * are create-only, so every chunk of a run reads the same columns.
     */
    public SourceSchema sourceSchema(RunId runId, PipelineDefinition definition) {
        return blobs.read(RunLayout.RUNS, RunLayout.sourceSchema(runId))
                .map(v -> Json.read(v.content(), SourceSchema.class))
                .orElseGet(() -> SourceSchema.declared(definition));
    }

    /** Records the columns a run reads; the first record stands. */
    public void recordSourceSchema(RunId runId, SourceSchema schema) {
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.sourceSchema(runId), Json.bytes(schema));
    }

    /** The chunks extract planned for the run, if it got that far. */
    public Optional<RunPlan> plan(RunId runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.plan(runId)).map(v -> Json.read(v.content(), RunPlan.class));
    }

    /** Records the run's plan; the first plan recorded stands and is returned. */
    public RunPlan recordPlan(RunId runId, RunPlan plan) {
        if (blobs.createIfAbsent(RunLayout.RUNS, RunLayout.plan(runId), Json.bytes(plan))) {
            return plan;
        }
        return plan(runId).orElseThrow();
    }

    /**
     * Fails the run, unless it already has an outcome: for a last attempt that failed before its stage could say
     * how (the run's definition did not read, storage failed before the stage's report).
     */
    public void failUnended(RunId runId, Stage stage, int chunk, Throwable error, java.time.Instant at) {
        if (outcome(runId).isEmpty()) {
            finish(runId, RunOutcome.failed(at, stage, chunk, Failures.describe(error)));
        }
    }

    /** What extract fetched for the run, if its source is fetched and extract recorded it. */
    public Optional<FetchRecord> fetchRecord(RunId runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.fetchRecord(runId)).map(v -> Json.read(v.content(), FetchRecord.class));
    }

    /** The run's stage reports, in the order of their names. */
    public List<StageReport> reports(RunId runId) {
        return blobs.list(RunLayout.RUNS, RunLayout.stagesPrefix(runId)).stream()
                .map(name -> blobs.read(RunLayout.RUNS, name))
                .flatMap(Optional::stream)
                .map(v -> Json.read(v.content(), StageReport.class))
                .toList();
    }

    public void report(RunId runId, StageReport report) {
        report(runId, report, null);
    }

    /** Writes a stage's report, then its history row; {@code bytes} is what the stage wrote, if known. */
    public void report(RunId runId, StageReport report, Long bytes) {
        blobs.put(RunLayout.RUNS, RunLayout.stageReport(runId, report.stage(), report.chunk()), Json.bytes(report));
        index.stage(runId, report, bytes);
    }

    /**
     * Says that {@code stage} ({@code chunk}) succeeded with these counts, unless its report says so already: for a
     * delivery that finds the stage's output recorded by an attempt that died (or failed, or was overtaken by a
     * duplicate) before its report said so. The report keeps when the stage started.
     */
    public void reportSucceeded(RunId runId, Stage stage, int chunk, java.time.Instant at, long in, long out,
                                long rejected) {
        Optional<StageReport> current = blobs.read(RunLayout.RUNS, RunLayout.stageReport(runId, stage, chunk))
                .map(v -> Json.read(v.content(), StageReport.class));
        if (current.isEmpty() || current.get().status() != StageStatus.SUCCEEDED) {
            report(runId, current.orElseGet(() -> StageReport.running(stage, chunk, at)).succeeded(at, in, out, rejected));
        }
    }

    /** Whether the message handing the run to {@code stage} is known to have been sent. */
    public boolean handedOff(RunId runId, Stage stage) {
        return blobs.properties(RunLayout.RUNS, RunLayout.handoff(runId, stage)).isPresent();
    }

    /** Records that the message handing the run to {@code stage} was sent. */
    public void markHandedOff(RunId runId, Stage stage) {
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.handoff(runId, stage), new byte[0]);
    }

    /** Whether chunk {@code chunk} of the run is transformed and recorded. */
    public boolean chunkDone(RunId runId, int chunk) {
        return blobs.properties(RunLayout.RUNS, RunLayout.chunkResult(runId, chunk)).isPresent();
    }

    /** Whether key bucket {@code bucket} of the run is combined and recorded. */
    public boolean bucketDone(RunId runId, int bucket) {
        return blobs.properties(RunLayout.RUNS, RunLayout.bucketResult(runId, bucket)).isPresent();
    }

    public Optional<RunOutcome> outcome(RunId runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.outcome(runId)).map(v -> Json.read(v.content(), RunOutcome.class));
    }

    /**
     * Records that a stage attempt failed; on the last attempt (or when retrying cannot help) also
     * fails the run, naming the stage, chunk and error.
     */
    public void attemptFailed(RunId runId, StageReport report, String cause, boolean runFails, java.time.Instant at) {
        String error = secrets(runId).mask(cause);
        StageReport failed = report.failed(at, error);
        blobs.put(RunLayout.RUNS, RunLayout.stageReport(runId, report.stage(), report.chunk()), Json.bytes(failed));
        quietly(runId, () -> index.stage(runId, failed, null));
        if (runFails) {
            finish(runId, RunOutcome.failed(at, report.stage(), report.chunk(), error));
        }
    }

    /**
     * Records how the run ended; the first outcome recorded stands. The run then no longer counts against its
     * pipeline's concurrency limit.
     */
    public void finish(RunId runId, RunOutcome outcome) {
        finish(runId, outcome, null);
    }

    /**
     * As {@link #finish(String, RunOutcome)}, with the totals of a run that committed. The history shows the outcome
     * that stands, which is this one unless an earlier one was recorded; a failed run shows what its stage reports
     * got through ({@link RunIndex.Totals#uncommitted}).
     */
    public void finish(RunId runId, RunOutcome ended, RunIndex.Totals totals) {
        RunOutcome outcome = ended.error() == null ? ended : new RunOutcome(ended.status(), ended.at(), ended.stage(),
                ended.chunk(), secrets(runId).mask(ended.error()));
        boolean ours = blobs.createIfAbsent(RunLayout.RUNS, RunLayout.outcome(runId), Json.bytes(outcome));
        Optional<RunRecord> record = record(runId);
        record.ifPresent(r -> release(blobs, r.pipeline(), runId));
        if (record.isPresent()) {
            quietly(runId, () -> {
                RunOutcome stands = ours ? outcome : outcome(runId).orElse(outcome);
                RunIndex.Totals shown = stands.status() == outcome.status() ? totals : null;
                index.ended(record.get(), stands, shown != null || stands.status() == RunState.COMMITTED ? shown
                        : RunIndex.Totals.uncommitted(reports(runId)));
            });
        }
        if (ours) {
            if (outcome.status() == RunState.FAILED) {
                LOG.warning(outcome.failedLogLine(record.map(RunRecord::pipeline).orElse("?"), runId));
            }
            // Only the outcome that stands alerts: a later finish of an ended run changes nothing.
            alerts.runEnded(record.map(RunRecord::pipeline).orElse("?"), runId, outcome);
        }
    }

    /**
     * The run's secrets: the values of every setting its definition snapshot refers to, as the app's settings have
     * them, and credentials in URLs. Every error this store records is masked with it, whatever stage wrote it.
     */
    public SecretMask secrets(RunId runId) {
        return RunSecrets.of(blobs, runId, settings.values());
    }

    /** Makes a history write that must not fail what called it: a failure is logged. */
    private static void quietly(RunId runId, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warning("run " + runId + ": the run history could not be written (the run's blobs are right; "
                    + "the history catches up when it is next read): " + Failures.describe(e));
        }
    }

    /** Removes the markers that count an ended run against its pipeline's concurrency limit. */
    static void release(BlobStore blobs, String pipeline, RunId runId) {
        blobs.delete(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId));
        blobs.delete(RunLayout.STATE, RunLayout.activeRun(pipeline, runId));
    }
}
