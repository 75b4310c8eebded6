package io.tributary.stage;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.SourceSchema;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Reads and writes a run's state blobs, named by {@link RunLayout}. */
public final class RunStore {

    private final BlobStore blobs;
    private final Alerts alerts;

    public RunStore(BlobStore blobs) {
        this(blobs, Alerts.OFF);
    }

    /** @param alerts raises an alert when a run fails */
    public RunStore(BlobStore blobs, Alerts alerts) {
        this.blobs = blobs;
        this.alerts = alerts;
    }

    public Alerts alerts() {
        return alerts;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Optional<RunRecord> record(String runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.runRecord(runId)).map(v -> Json.read(v.content(), RunRecord.class));
    }

    /** The definition snapshot the run was started with. */
    public PipelineDefinition definition(String runId) {
        byte[] text = blobs.read(RunLayout.RUNS, RunLayout.definition(runId))
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no definition snapshot"))
                .content();
        DefinitionResult result = DefinitionReader.read(RunLayout.RUNS + "/" + RunLayout.definition(runId),
                new String(text, StandardCharsets.UTF_8), null);
        return result.definition().orElseThrow(() -> new IllegalStateException("the definition snapshot of run "
                + runId + " does not read: " + result.problems().get(0).format()));
    }

    /**
     * The columns the run reads: those recorded when it sampled its input, else the definition's own. Records
     * are create-only, so every chunk of a run reads the same columns.
     */
    public SourceSchema sourceSchema(String runId, PipelineDefinition definition) {
        return blobs.read(RunLayout.RUNS, RunLayout.sourceSchema(runId))
                .map(v -> Json.read(v.content(), SourceSchema.class))
                .orElseGet(() -> SourceSchema.declared(definition));
    }

    /** Records the columns a run reads; the first record stands. */
    public void recordSourceSchema(String runId, SourceSchema schema) {
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.sourceSchema(runId), Json.bytes(schema));
    }

    /** The chunks extract planned for the run, if it got that far. */
    public Optional<RunPlan> plan(String runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.plan(runId)).map(v -> Json.read(v.content(), RunPlan.class));
    }

    /** Records the run's plan; the first plan recorded stands and is returned. */
    public RunPlan recordPlan(String runId, RunPlan plan) {
        if (blobs.createIfAbsent(RunLayout.RUNS, RunLayout.plan(runId), Json.bytes(plan))) {
            return plan;
        }
        return plan(runId).orElseThrow();
    }

    /**
     * Fails the run, unless it already has an outcome: for a last attempt that failed before its stage could say
     * how (the run's definition did not read, storage failed before the stage's report).
     */
    public void failUnended(String runId, String stage, int chunk, Throwable error, java.time.Instant at) {
        if (outcome(runId).isEmpty()) {
            finish(runId, RunOutcome.failed(at, stage, chunk, Failures.describe(error)));
        }
    }

    /** What extract fetched for the run, if its source is fetched and extract recorded it. */
    public Optional<FetchRecord> fetchRecord(String runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.fetchRecord(runId)).map(v -> Json.read(v.content(), FetchRecord.class));
    }

    /** The run's stage reports, in the order of their names. */
    public List<StageReport> reports(String runId) {
        return blobs.list(RunLayout.RUNS, RunLayout.stagesPrefix(runId)).stream()
                .map(name -> blobs.read(RunLayout.RUNS, name))
                .flatMap(Optional::stream)
                .map(v -> Json.read(v.content(), StageReport.class))
                .toList();
    }

    public void report(String runId, StageReport report) {
        blobs.put(RunLayout.RUNS, RunLayout.stageReport(runId, report.stage(), report.chunk()), Json.bytes(report));
    }

    /**
     * Says that {@code stage} ({@code chunk}) succeeded with these counts, unless its report says so already: for a
     * delivery that finds the stage's output recorded by an attempt that died (or failed, or was overtaken by a
     * duplicate) before its report said so. The report keeps when the stage started.
     */
    public void reportSucceeded(String runId, String stage, int chunk, java.time.Instant at, long in, long out,
                                long rejected) {
        Optional<StageReport> current = blobs.read(RunLayout.RUNS, RunLayout.stageReport(runId, stage, chunk))
                .map(v -> Json.read(v.content(), StageReport.class));
        if (current.isEmpty() || !current.get().status().equals("succeeded")) {
            report(runId, current.orElseGet(() -> StageReport.running(stage, chunk, at)).succeeded(at, in, out, rejected));
        }
    }

    /** Whether the message handing the run to {@code stage} is known to have been sent. */
    public boolean handedOff(String runId, String stage) {
        return blobs.properties(RunLayout.RUNS, RunLayout.handoff(runId, stage)).isPresent();
    }

    /** Records that the message handing the run to {@code stage} was sent. */
    public void markHandedOff(String runId, String stage) {
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.handoff(runId, stage), new byte[0]);
    }

    /** Whether chunk {@code chunk} of the run is transformed and recorded. */
    public boolean chunkDone(String runId, int chunk) {
        return blobs.properties(RunLayout.RUNS, RunLayout.chunkResult(runId, chunk)).isPresent();
    }

    /** Whether key bucket {@code bucket} of the run is combined and recorded. */
    public boolean bucketDone(String runId, int bucket) {
        return blobs.properties(RunLayout.RUNS, RunLayout.bucketResult(runId, bucket)).isPresent();
    }

    public Optional<RunOutcome> outcome(String runId) {
        return blobs.read(RunLayout.RUNS, RunLayout.outcome(runId)).map(v -> Json.read(v.content(), RunOutcome.class));
    }

    /**
     * Records that a stage attempt failed; on the last attempt (or when retrying cannot help) also
     * fails the run, naming the stage, chunk and error.
     */
    public void attemptFailed(String runId, StageReport report, String error, boolean runFails, java.time.Instant at) {
        report(runId, report.failed(at, error));
        if (runFails) {
            finish(runId, RunOutcome.failed(at, report.stage(), report.chunk(), error));
        }
    }

    /**
     * Records how the run ended; the first outcome recorded stands. The run then no longer counts against its
     * pipeline's concurrency limit.
     */
    public void finish(String runId, RunOutcome outcome) {
        boolean first = blobs.createIfAbsent(RunLayout.RUNS, RunLayout.outcome(runId), Json.bytes(outcome));
        Optional<RunRecord> record = record(runId);
        record.ifPresent(r -> release(blobs, r.pipeline(), runId));
        if (first) {
            // Only the outcome that stands alerts: a later finish of an ended run changes nothing.
            alerts.runEnded(record.map(RunRecord::pipeline).orElse("?"), runId, outcome);
        }
    }

    /** Removes the markers that count an ended run against its pipeline's concurrency limit. */
    static void release(BlobStore blobs, String pipeline, String runId) {
        blobs.delete(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId));
        blobs.delete(RunLayout.STATE, RunLayout.activeRun(pipeline, runId));
    }
}
