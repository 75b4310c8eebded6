package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;

/**
 * Fan-in: once every piece of a run (its chunks, or its key buckets) is recorded, the run is handed on exactly once.
 * The delivery that wins a create-only claim sends the hand-off; a later delivery sends it again only when the winner
 * is not known to have sent it (it crashed between the claim and the message).
 */
final class FanIn {

    private FanIn() {
    }

    /**
     * Calls {@code send} when the run has {@code expected} results under {@code donePrefix} (in the runs container)
     * and this delivery is the one to hand the run to stage {@code next}, guarded by the claim blob {@code claim}.
     */
    static void whenComplete(RunStore runs, RunId runId, String donePrefix, int expected, String claim, Stage next,
                             Runnable send) {
        if (runs.blobs().list(RunLayout.RUNS, donePrefix).size() != expected) {
            return;
        }
        boolean won = runs.blobs().createIfAbsent(RunLayout.RUNS, claim, new byte[0]);
        if (won || (!runs.handedOff(runId, next) && runs.outcome(runId).isEmpty())) {
            send.run();
            runs.markHandedOff(runId, next);
        }
    }
}
