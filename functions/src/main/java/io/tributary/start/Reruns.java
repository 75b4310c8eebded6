package io.tributary.start;

import io.tributary.run.RunState;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.CombineMessage;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.Rerun;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.stage.ConcurrencyGate;
import io.tributary.stage.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reruns a failed run ({@code tributary rerun}).
 *
 * <p><b>Resume</b> carries on with the same run id from what failed: its outcome is cleared and the failed stage's
 * messages are sent again — extract when the run has no plan yet, else transform for each planned chunk not done,
 * else store. Every stage is idempotent per run id (create-only chunk results, claim and manifest), so the chunks
 * already done are reused where they are, nothing is copied, and the run can commit at most once.
 *
 * <p><b>From the start</b> starts a new run ({@link RunRecord#rerunOf()} names the failed one) over the failed run's
 * pinned source version and definition snapshot, reusing none of its chunks; a fetched source is not fetched again:
 * the new run's fetch record names the failed run's spool. The failed run stays failed and can no longer be resumed.
 *
 * <p>A rerun is claimed with a create-only record named after the version of the failed outcome it answers
 * ({@link RunLayout#rerun}): asking twice starts one rerun, and a resume and a start-over cannot both go.
 */
public final class Reruns {

    private final RunStore runs;
    private final StageQueue queue;
    private final Clock clock;
    private final ConcurrencyGate gate;
    private final RunStarter starter;

    public Reruns(RunStore runs, StageQueue queue, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.clock = clock;
        this.gate = new ConcurrencyGate(runs, clock, ConcurrencyGate.DEFAULT_STALE);
        this.starter = new RunStarter(runs, queue, clock);
    }

    /**
     * What a rerun did.
     *
     * @param runId  the run that carries on (the failed run when resumed, the new run when started over)
     * @param from   the stage it goes on from: {@code extract}, {@code transform}, {@code combine} or {@code store}
     * @param chunks the chunks handed to transform again (resume from transform), else empty
     * @param done   chunks already done and reused
     * @param total  chunks planned, or 0 when the run has no plan yet
     * @param isNew  false when an earlier call already started this rerun (only for a start-over)
     * @param failed the failed outcome the rerun answers
     */
    public record Started(String kind, RunId runId, Stage from, List<Integer> chunks, int done, int total,
                          boolean isNew, RunOutcome failed) {
    }

    /** The reruns of {@code runId} so far, oldest first. */
    public List<Rerun> of(RunId runId) {
        return runs.blobs().list(RunLayout.RUNS, RunLayout.rerunsPrefix(runId)).stream()
                .map(name -> runs.blobs().read(RunLayout.RUNS, name))
                .flatMap(Optional::stream)
                .map(v -> Json.read(v.content(), Rerun.class))
                .sorted(java.util.Comparator.comparing(Rerun::at))
                .toList();
    }

    /** Resumes failed run {@code runId} from what failed. */
    public Started resume(RunId runId) {
        Failed failed = failed(runId);
        Optional<Rerun> over = of(runId).stream().filter(r -> r.kind().equals(Rerun.FROM_START)).findFirst();
        if (over.isPresent()) {
            throw new IllegalStateException("run " + runId + " was rerun from the start as " + over.get().runId()
                    + "; it cannot be resumed as well (both could commit): rerun " + over.get().runId() + " instead");
        }
        requirePartsStored(runId);
        String claim = RunLayout.rerun(runId, failed.claim());
        if (!runs.blobs().createIfAbsent(RunLayout.RUNS, claim,
                Json.bytes(new Rerun(Rerun.RESUME, runId, clock.instant(), failed.outcome())))) {
            Rerun other = Json.read(runs.blobs().read(RunLayout.RUNS, claim).orElseThrow().content(), Rerun.class);
            throw new IllegalStateException("run " + runId + " is already being rerun"
                    + (other.kind().equals(Rerun.FROM_START) ? " from the start as " + other.runId() : "")
                    + " (asked at " + other.at() + "); 'tributary status " + other.runId() + "' follows it");
        }
        RunRecord record = failed.record();
        Optional<RunPlan> plan = runs.plan(runId);
        if (plan.isEmpty()) {
            gate.register(record.pipeline(), runId); // extract checks the concurrency limit again
        } else {
            gate.readmit(record.pipeline(), runId);
        }
        // Only the claim's winner gets here; no stage writes an outcome while the run has one.
        runs.blobs().deleteIfMatch(new BlobRef(RunLayout.RUNS, RunLayout.outcome(runId), failed.etag()));
        runs.resumed(record, java.time.Duration.between(failed.outcome().at(), clock.instant()));
        if (plan.isEmpty()) {
            queue.send(RunLayout.EXTRACT_QUEUE, new ExtractMessage(runId, record.pipeline(), record.source()));
            return new Started(Rerun.RESUME, runId, Stage.EXTRACT, List.of(), 0, 0, true, failed.outcome());
        }
        List<TransformMessage> missing = plan.get().chunks().stream()
                .filter(m -> !runs.chunkDone(runId, m.chunk())).toList();
        int total = plan.get().chunks().size();
        int buckets = plan.get().chunks().get(0).buckets();
        if (missing.isEmpty() && buckets > 0) {
            List<Integer> uncombined = java.util.stream.IntStream.range(0, buckets).boxed()
                    .filter(b -> !runs.bucketDone(runId, b))
                    .toList();
            if (!uncombined.isEmpty()) {
                for (int bucket : uncombined) {
                    queue.send(RunLayout.COMBINE_QUEUE, new CombineMessage(runId, record.pipeline(), bucket, buckets,
                            total, plan.get().chunks().get(0).references()));
                }
                return new Started(Rerun.RESUME, runId, Stage.COMBINE, uncombined, buckets - uncombined.size(), buckets,
                        true, failed.outcome());
            }
        }
        if (missing.isEmpty()) {
            queue.send(RunLayout.STORE_QUEUE, new StoreMessage(StoreMessage.VERSION, runId, record.pipeline(), total,
                    buckets));
            return new Started(Rerun.RESUME, runId, Stage.STORE, List.of(), total, total, true, failed.outcome());
        }
        for (TransformMessage chunk : missing) {
            queue.send(RunLayout.TRANSFORM_QUEUE, chunk);
        }
        return new Started(Rerun.RESUME, runId, Stage.TRANSFORM, missing.stream().map(TransformMessage::chunk).toList(),
                total - missing.size(), total, true, failed.outcome());
    }

    /**
     * Starts failed run {@code runId} over as a new run with the same pinned source and definition snapshot; asking
     * again finds the run the first call started.
     */
    public Started fromStart(RunId runId) {
        Failed failed = failed(runId);
        Optional<Rerun> earlier = of(runId).stream().filter(r -> r.kind().equals(Rerun.FROM_START)).findFirst();
        if (earlier.isPresent()) {
            return new Started(Rerun.FROM_START, earlier.get().runId(), Stage.EXTRACT, List.of(), 0, 0, false,
                    failed.outcome());
        }
        RunRecord record = failed.record();
        Instant now = clock.instant();
        RunId newRunId = RunId.forRequest(record.pipeline(), "rerun " + runId + " " + failed.claim(), now);
        String claim = RunLayout.rerun(runId, failed.claim());
        if (!runs.blobs().createIfAbsent(RunLayout.RUNS, claim,
                Json.bytes(new Rerun(Rerun.FROM_START, newRunId, now, failed.outcome())))) {
            Rerun other = Json.read(runs.blobs().read(RunLayout.RUNS, claim).orElseThrow().content(), Rerun.class);
            if (other.kind().equals(Rerun.FROM_START)) {
                return new Started(Rerun.FROM_START, other.runId(), Stage.EXTRACT, List.of(), 0, 0, false,
                        failed.outcome());
            }
            throw new IllegalStateException("run " + runId + " is already being resumed (asked at " + other.at()
                    + "); 'tributary status " + runId + "' follows it");
        }
        PipelineDefinition definition = runs.definition(runId);
        // A fetched source is pinned by the failed run's fetch record: the new run reads the same spool, in place.
        runs.blobs().read(RunLayout.RUNS, RunLayout.fetchRecord(runId)).ifPresent(fetched ->
                runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.fetchRecord(newRunId), fetched.content()));
        // A dataset run's rerun reads the same upstream dataset, its parent too.
        starter.start(definition, newRunId, record.source(), "rerun", record.parameters(), runId, record.upstream());
        return new Started(Rerun.FROM_START, newRunId, Stage.EXTRACT, List.of(), 0, 0, true, failed.outcome());
    }

    /**
     * Refuses to resume a run whose done chunks or key buckets wrote parts into its pipeline's Delta table that are
     * gone since: the table's vacuum deletes the parts of a run that failed longer than the table's retention ago, and
     * a resume that reused its chunks would commit a version naming files that are not there.
     */
    private void requirePartsStored(RunId runId) {
        boolean writesTable = runs.definition(runId).output().tableOutput()
                .filter(t -> t.mode() != io.tributary.definition.output.TableOutput.Mode.MERGE).isPresent();
        if (!writesTable) {
            return;
        }
        List<String> records = new java.util.ArrayList<>(runs.blobs().list(RunLayout.RUNS,
                RunLayout.chunksPrefix(runId)));
        records.addAll(runs.blobs().list(RunLayout.RUNS, RunLayout.bucketsPrefix(runId)));
        for (String record : records) {
            Optional<BlobStore.Versioned> done = runs.blobs().read(RunLayout.RUNS, record);
            if (done.isEmpty()) {
                continue;
            }
            for (ChunkResult.Part part : Json.read(done.get().content(), ChunkResult.class).parts()) {
                if (runs.blobs().properties(RunLayout.TRAINING, part.blob()).isEmpty()) {
                    throw new IllegalStateException("run " + runId + " cannot be resumed: its part "
                            + RunLayout.TRAINING + "/" + part.blob() + " is gone (the table's vacuum deletes the "
                            + "parts of a run that failed longer than the table's retention ago); start it over "
                            + "with 'tributary rerun " + runId + " --from-start'");
                }
            }
        }
    }

    private record Failed(RunRecord record, RunOutcome outcome, String etag) {
        /** The rerun claim's name: the failed outcome's version, one rerun per failure. */
        String claim() {
            return etag.replaceAll("[^A-Za-z0-9]", "");
        }
    }

    /** The run and its failed outcome; refuses a run that is unknown, in flight or committed. */
    private Failed failed(RunId runId) {
        RunRecord record = runs.record(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId
                + "; 'tributary runs' lists the runs"));
        Optional<io.tributary.port.BlobStore.Versioned> outcome = runs.blobs().read(RunLayout.RUNS,
                RunLayout.outcome(runId));
        if (outcome.isEmpty()) {
            boolean resumed = of(runId).stream().anyMatch(r -> r.kind().equals(Rerun.RESUME));
            throw new IllegalStateException("run " + runId + " is still in flight" + (resumed ? " (resumed)" : "")
                    + ": only a failed run can be rerun; 'tributary status " + runId + "' follows it");
        }
        RunOutcome ended = Json.read(outcome.get().content(), RunOutcome.class);
        if (ended.status() == RunState.COMMITTED) {
            throw new IllegalStateException("already committed: run " + runId + " of " + record.pipeline()
                    + " committed at " + ended.at() + "; its dataset is " + RunLayout.TRAINING + "/"
                    + RunLayout.datasetFolder(record.pipeline(), runId));
        }
        return new Failed(record, ended, outcome.get().etag());
    }
}
