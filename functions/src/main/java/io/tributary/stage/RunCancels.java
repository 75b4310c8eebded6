package io.tributary.stage;

import io.tributary.run.CancelRequest;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import java.time.Clock;
import java.util.Optional;

/**
 * Asks a run in flight to stop, for every kind of run: the request is kept in the run's folder (create-only: asking
 * twice asks once), the next stage that meets the run fails it as cancelled, and a job the run waits on is cancelled
 * on its compute at its next check. A run that has ended is left as it is.
 */
public final class RunCancels {

    /**
     * What asking did.
     *
     * @param request the request that stands (this one, or the first, when the run was asked before)
     * @param isNew   whether this call made the request
     */
    public record Asked(RunId runId, CancelRequest request, boolean isNew) {
    }

    private final RunStore runs;
    private final Clock clock;

    public RunCancels(RunStore runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    /**
     * Asks {@code runId} to stop.
     *
     * @param by who asks, as messages name them ({@code the command line}, {@code the HTTP API})
     * @throws IllegalArgumentException when there is no such run
     * @throws IllegalStateException    when the run has ended (committed or failed), saying how
     */
    public Asked cancel(RunId runId, String by) {
        if (runs.record(runId).isEmpty()) {
            throw new IllegalArgumentException("no run " + runId + "; 'tributary runs' lists them");
        }
        Optional<RunOutcome> ended = runs.outcome(runId);
        if (ended.isPresent()) {
            throw new IllegalStateException("run " + runId + " already " + ended.get().status().text() + " at "
                    + ended.get().at() + "; only a run in flight can be cancelled");
        }
        CancelRequest request = new CancelRequest(clock.instant(), by);
        boolean made = runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.cancelRequest(runId), Json.bytes(request));
        return new Asked(runId, made ? request : runs.cancelRequest(runId).orElse(request), made);
    }
}
