package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.job.Job;
import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.port.BlobStore;
import io.tributary.port.JobCompute;
import io.tributary.port.JobComputes;
import io.tributary.port.JobException;
import io.tributary.port.StageQueue;
import io.tributary.run.Alert;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.JobMessage;
import io.tributary.run.JobRecord;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Runs a run's job steps on their computes without waiting on them: a message with check 0 submits the step's job
 * (once: by its key, a second submit finds the first) and records its handle create-only; each later check, sent
 * delayed ({@link JobPolling}), asks the compute where the job stands and records it. A check is claimed by replacing
 * the record only if unchanged since read, so a redelivered or duplicated check drops out instead of forking the
 * chain. A job past its timeout, or whose run was cancelled, is cancelled. When the transform job succeeds, the run
 * goes back to extract, which plans the job's output like any input; when it fails, the run fails. A job after the
 * commit ends as it ends: its outcome is reported, and a failure alerts, but the commit stands.
 */
public final class JobStage {

    private static final Logger LOG = LogContext.logger(JobStage.class);

    private final RunStore runs;
    private final StageQueue queue;
    private final JobComputes computes;
    private final JobValues values;
    private final JobPolling polling;
    private final Clock clock;

    public JobStage(RunStore runs, StageQueue queue, JobComputes computes, io.tributary.run.StorageAddress storage,
                    JobPolling polling, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.computes = computes;
        this.values = new JobValues(storage);
        this.polling = polling;
        this.clock = clock;
    }

    /**
     * Submits or checks the job step in {@code message}.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(JobMessage message, boolean lastAttempt) {
        RunId runId = message.runId();
        PipelineDefinition definition = runs.definition(runId);
        Optional<Job> job = JobSteps.find(definition, message.step());
        if (job.isEmpty()) {
            LOG.warning("run " + runId + " has no job step '" + message.step() + "' in its definition; the message is "
                    + "dropped");
            return;
        }
        String name = RunLayout.jobRecord(runId, message.step(), message.attempt());
        Optional<BlobStore.Versioned> stored = runs.blobs().read(RunLayout.RUNS, name);
        if (stored.isEmpty()) {
            if (message.check() == 0) {
                submit(message, definition, job.get(), lastAttempt);
            }
            return;
        }
        JobRecord record = Json.read(stored.get().content(), JobRecord.class);
        if (record.isOver()) {
            return;
        }
        if (message.check() == 0) {
            // A submit delivered again: the job is there; make sure a check follows (the first may have been lost).
            if (record.checks() == 0) {
                queue.send(RunLayout.JOB_QUEUE, message.next(), polling.delay(1));
            }
            return;
        }
        if (message.check() != record.checks() + 1) {
            return;
        }
        check(message, job.get(), record, stored.get().etag());
    }

    private void submit(JobMessage message, PipelineDefinition definition, Job job, boolean lastAttempt) {
        RunId runId = message.runId();
        Instant started = clock.instant();
        int index = JobSteps.index(definition, job);
        StageReport report = StageReport.running(Stage.JOB, index, started);
        if (job.isTransform() && (runs.outcome(runId).isPresent() || cancelled(runId, report))) {
            return;
        }
        runs.report(runId, report);
        try {
            JobSubmission submission = submission(message, definition, job);
            JobCompute compute = computes.of(job.work().compute());
            JobHandle handle = compute.find(submission).orElseGet(() -> compute.submit(submission));
            JobRecord record = JobRecord.submitted(job.name(), index, message.attempt(), job.work().code(), handle,
                    job.timeout());
            String name = RunLayout.jobRecord(runId, job.name(), message.attempt());
            if (!runs.blobs().createIfAbsent(RunLayout.RUNS, name, Json.bytes(record))) {
                return; // another delivery recorded the same job (the key found it) and sent its first check
            }
            LOG.info("run " + runId + ": " + JobSteps.label(job) + " submitted to " + handle.compute() + " as "
                    + handle.id() + (handle.link().isEmpty() ? "" : " (" + handle.link() + ")"));
            queue.send(RunLayout.JOB_QUEUE, message.next(), polling.delay(1));
        } catch (JobException e) {
            if (e.retryable() && !lastAttempt) {
                runs.attemptFailed(runId, report, e.getMessage(), false, clock.instant());
                throw e;
            }
            ended(message, job, index, report, "could not submit " + JobSteps.label(job) + ": " + e.getMessage(),
                    null);
        }
    }

    private void check(JobMessage message, Job job, JobRecord record, String etag) {
        RunId runId = message.runId();
        Instant now = clock.instant();
        JobCompute compute = computes.of(record.handle().compute());
        JobRecord next;
        String why = null;
        Optional<io.tributary.run.CancelRequest> cancel = runs.cancelRequest(runId);
        if (cancel.isPresent() || (job.isTransform() && runs.outcome(runId).isPresent())) {
            cancelQuietly(compute, record.handle());
            why = cancel.map(io.tributary.run.CancelRequest::reason).orElse("the run ended elsewhere")
                    + "; " + JobSteps.label(job) + " (" + record.handle().id() + " on " + record.handle().compute()
                    + ") was cancelled too";
            next = record.ended(now, new JobState(JobPhase.CANCELED, record.state().state(), record.state().message(),
                    record.state().link()), why);
        } else {
            try {
                JobState state = compute.state(record.handle());
                next = record.checked(message.check(), now, state);
                if (!state.phase().terminal() && now.isAfter(record.deadline())) {
                    cancelQuietly(compute, record.handle());
                    why = JobSteps.label(job) + " ran longer than its timeout of " + JobSteps.duration(
                            Duration.ofSeconds(record.timeoutSeconds())) + " and was cancelled" + link(state);
                    next = next.ended(now, state, why);
                } else if (state.phase() == JobPhase.FAILED || state.phase() == JobPhase.CANCELED) {
                    why = "job failed: " + JobSteps.label(job) + " on " + record.handle().compute() + " ended "
                            + state.state() + (state.message().isEmpty() ? "" : ": " + state.message()) + link(state);
                    next = next.ended(now, state, why);
                }
            } catch (JobException e) {
                if (!e.retryable() || record.unanswered() + 1 >= polling.unavailableChecks()
                        || now.isAfter(record.deadline())) {
                    why = "could not check " + JobSteps.label(job) + ": " + e.getMessage();
                    cancelQuietly(compute, record.handle());
                    next = record.unanswered(message.check(), now).ended(now, record.state(), why);
                } else {
                    next = record.unanswered(message.check(), now);
                }
            }
        }
        if (!runs.blobs().putIfUnchanged(RunLayout.RUNS, RunLayout.jobRecord(runId, record.step(), record.attempt()),
                Json.bytes(next), etag)) {
            return; // another delivery of this check claimed it
        }
        if (!next.isOver()) {
            queue.send(RunLayout.JOB_QUEUE, message.next(), polling.delay(message.check() + 1));
            return;
        }
        StageReport report = runs.reports(runId).stream().filter(r -> r.stage() == Stage.JOB
                && r.chunk() == record.index()).findFirst().orElse(StageReport.running(Stage.JOB, record.index(),
                record.handle().submittedAt()));
        if (why == null) {
            runs.report(runId, report.succeeded(now, 0, 0, 0));
            LOG.info("run " + runId + ": " + JobSteps.label(job) + " succeeded on " + record.handle().compute());
            if (job.isTransform()) {
                // Back to extract, which plans the job's output as the run's input.
                queue.send(RunLayout.EXTRACT_QUEUE, new ExtractMessage(runId, message.pipeline(), message.source()));
            }
            return;
        }
        ended(message, job, record.index(), report, why, next);
    }

    /** The step failed (or was cancelled): the run fails with it, or, after the commit, it is reported and alerted. */
    private void ended(JobMessage message, Job job, int index, StageReport report, String why, JobRecord record) {
        RunId runId = message.runId();
        Instant now = clock.instant();
        runs.attemptFailed(runId, report, why, job.isTransform(), now);
        if (!job.isTransform()) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("job", job.name());
            details.put("compute", job.work().compute());
            if (record != null) {
                details.put("externalId", record.handle().id());
                details.put("state", record.state().state());
                details.put("link", record.state().link());
            }
            runs.alerts().raise(new Alert(Alert.JOB_FAILED, message.pipeline(), runId, Stage.JOB, index,
                    runs.secrets(runId).mask("Run " + runId + " of pipeline " + message.pipeline() + " committed, but "
                            + "its job '" + job.name() + "' did not succeed: " + why), now, details));
        }
    }

    private boolean cancelled(RunId runId, StageReport report) {
        if (!runs.cancelRequested(runId)) {
            return false;
        }
        runs.attemptFailed(runId, report, "cancelled by request before its job was submitted", true, clock.instant());
        return true;
    }

    private JobSubmission submission(JobMessage message, PipelineDefinition definition, Job job) {
        RunId runId = message.runId();
        RunRecord record = runs.record(runId).orElseThrow(() -> new IllegalStateException("run " + runId
                + " has no run record"));
        Map<String, String> known;
        if (job.isTransform()) {
            BlobRef input = message.source() != null ? message.source()
                    : runs.fetchRecord(runId).map(io.tributary.run.FetchRecord::spool).orElseThrow(() ->
                    new IllegalStateException("run " + runId + " has neither a source blob nor a fetched source"));
            known = values.transform(record, input, message.attempt());
        } else {
            Manifest manifest = runs.blobs().read(RunLayout.TRAINING, RunLayout.manifest(message.pipeline(), runId))
                    .map(v -> Json.read(v.content(), Manifest.class)).orElseThrow(() -> new IllegalStateException(
                            "run " + runId + " starts its job '" + job.name() + "' before its manifest is there"));
            known = values.committed(record, manifest);
        }
        UnaryOperator<String> resolve = JobValues.resolver(known, runs.settings().access().settings().guard(
                runs.settings().values(), (name, why) -> new JobException(JobException.Kind.REJECTED, why, false,
                        null)));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("tributary-pipeline", message.pipeline());
        tags.put("tributary-run", runId.toString());
        tags.put("tributary-step", job.name());
        tags.put("tributary-attempt", String.valueOf(message.attempt()));
        return new JobSubmission(JobSteps.key(runId, job.name(), message.attempt()), "tributary " + message.pipeline()
                + "/" + runId + " " + job.name() + (message.attempt() == 1 ? "" : " attempt " + message.attempt()),
                job.work().resolve(resolve), tags, job.timeout());
    }

    private static void cancelQuietly(JobCompute compute, JobHandle handle) {
        try {
            compute.cancel(handle);
        } catch (RuntimeException e) {
            LOG.warning("could not cancel job " + handle.id() + " on " + handle.compute() + ": " + e.getMessage());
        }
    }

    private static String link(JobState state) {
        return state.link().isEmpty() ? "" : "; see " + state.link();
    }
}
