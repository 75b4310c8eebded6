package io.tributary.local.compute;

import io.tributary.local.compute.LocalDatabricks.StateStep;
import io.tributary.local.compute.LocalDatabricks.SubmittedRun;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One run's life in {@link LocalDatabricks}: the steps it goes through, one per look ({@code runs/get}), then, when the
 * steps run out, the outcome its executor reports once it has one (until then the last step is seen again). A run
 * without an executor stays in its last step; a cancelled one goes TERMINATING, then TERMINATED/CANCELED.
 */
final class LocalDatabricksRun {

    private final SubmittedRun run;
    private final Deque<StateStep> ahead;
    private final CompletableFuture<StateStep> outcome;
    private final Clock clock;
    private final long startTime;
    private StateStep seen;
    private long endTime;

    /**
     * @param steps   what the first looks see, in order
     * @param outcome the executor's outcome, seen once the steps run out and it is done; null: none
     */
    LocalDatabricksRun(SubmittedRun run, List<StateStep> steps, CompletableFuture<StateStep> outcome, Clock clock) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a run goes through one step at least");
        }
        this.run = run;
        this.ahead = new ArrayDeque<>(steps);
        this.outcome = outcome;
        this.clock = clock;
        this.startTime = clock.millis();
    }

    SubmittedRun run() {
        return run;
    }

    long startTime() {
        return startTime;
    }

    /** When the run ended, in epoch milliseconds; 0 while it has not (as {@code end_time} says). */
    synchronized long endTime() {
        return endTime;
    }

    /** The step the run is in now, moving it on to the next: what one {@code runs/get} sees. */
    synchronized StateStep look() {
        StateStep next;
        if (seen != null && seen.terminal()) {
            next = seen;
        } else if (!ahead.isEmpty()) {
            next = ahead.poll();
        } else if (outcome != null && outcome.isDone()) {
            next = outcome();
        } else {
            next = seen;
        }
        if (next.terminal() && endTime == 0) {
            endTime = Math.max(clock.millis(), startTime);
        }
        seen = next;
        return next;
    }

    /** The executor's outcome as a terminal step: its failure is the run's, an answer that is not over is an error. */
    private StateStep outcome() {
        try {
            StateStep step = outcome.join();
            if (step == null || !step.terminal()) {
                return StateStep.internalError("the run's executor ended it in " + (step == null ? "no state"
                        : step.text() + ", which is not over"));
            }
            return step;
        } catch (CancellationException e) {
            return StateStep.canceled("Run cancelled.");
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return StateStep.failed(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
    }

    /**
     * Cancels the run, unless it is over: its next looks see TERMINATING, then TERMINATED/CANCELED, and its executor's
     * outcome is cancelled (an executor running code watches {@link CompletableFuture#isCancelled()} and stops).
     *
     * @return whether the run was still going
     */
    synchronized boolean cancel() {
        if (seen != null && seen.terminal()) {
            return false;
        }
        ahead.clear();
        ahead.add(StateStep.of("TERMINATING", null, "Run cancellation requested."));
        ahead.add(StateStep.canceled("Run cancelled."));
        if (outcome != null) {
            outcome.cancel(true);
        }
        return true;
    }
}
