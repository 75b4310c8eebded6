package io.tributary.history;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.stage.RunStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What ran: reads run records, stage reports, outcomes and manifests back for people and tools. */
public final class RunHistory {

    private final RunStore runs;

    public RunHistory(RunStore runs) {
        this.runs = runs;
    }

    /**
     * Everything known about one run.
     *
     * @param outcome  empty while the run is in flight
     * @param manifest present once the run committed
     */
    public record RunStatus(RunRecord record, List<StageReport> stages, Optional<RunOutcome> outcome,
                            Optional<Manifest> manifest) {

        /** {@code running}, {@code committed} or {@code failed}. */
        public RunState state() {
            return outcome.map(RunOutcome::status).orElse(RunState.RUNNING);
        }
    }

    /** The run's status, or empty when there is no run of that id. */
    public Optional<RunStatus> status(RunId runId) {
        Optional<RunRecord> record = runs.record(runId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        List<StageReport> stages = runs.reports(runId).stream()
                .sorted(Comparator.comparing(StageReport::stage).thenComparingInt(StageReport::chunk))
                .toList();
        Optional<Manifest> manifest = manifest(record.get().pipeline(), runId);
        return Optional.of(new RunStatus(record.get(), stages, runs.outcome(runId), manifest));
    }

    /** Every run's record, newest first. */
    public List<RunRecord> runs() {
        return runs.blobs().folders(RunLayout.RUNS, "").stream()
                .filter(RunId::isValid)
                .sorted(Comparator.reverseOrder())
                .map(RunId::parse)
                .map(runs::record)
                .flatMap(Optional::stream)
                .toList();
    }

    public Optional<Manifest> manifest(String pipeline, RunId runId) {
        return runs.blobs().read(RunLayout.TRAINING, RunLayout.manifest(pipeline, runId))
                .map(v -> Json.read(v.content(), Manifest.class));
    }

    public Optional<LatestPointer> latest(String pipeline) {
        return runs.blobs().read(RunLayout.TRAINING, RunLayout.latest(pipeline))
                .map(v -> Json.read(v.content(), LatestPointer.class));
    }
}
