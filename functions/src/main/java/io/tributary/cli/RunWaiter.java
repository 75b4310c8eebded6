package io.tributary.cli;

import io.tributary.run.RunPlan;
import io.tributary.stage.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Waits for a run to end, showing its stages, chunks and key buckets as they go ({@link ProgressView}). */
final class RunWaiter {

    private static final Duration NO_HOST_HINT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 200;

    private RunWaiter() {
    }

    /**
     * Returns true when the run committed, false when it failed.
     *
     * @param hintNoHost whether to say so when nothing picks the run up
     * @throws IllegalStateException when it has not ended within {@code timeout}
     */
    static boolean await(Session session, String runId, Duration timeout, PrintStream out, boolean hintNoHost) {
        return await(session, runId, timeout, out, hintNoHost, Set.of());
    }

    /** The stage reports of the run so far, as {@link #await} tells them apart: not printed again by it. */
    static Set<String> seen(Session session, String runId) {
        Set<String> keys = new HashSet<>();
        session.history().status(runId).ifPresent(s -> s.stages().forEach(stage -> keys.add(PlainProgress.key(stage))));
        return keys;
    }

    /** As {@link #await(Session, String, Duration, PrintStream, boolean)}, not printing the stage reports in {@code seen}. */
    static boolean await(Session session, String runId, Duration timeout, PrintStream out, boolean hintNoHost,
                         Set<String> seen) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        ProgressView view = ProgressView.forOutput(out, seen);
        boolean hinted = false;
        // A run cut into chunks says how far each stage is: its plan, written once, tells how many chunks and buckets.
        Optional<RunPlan> plan = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            Optional<RunStatus> status = session.history().status(runId);
            if (status.isPresent()) {
                if (plan.isEmpty()) {
                    plan = session.runs().plan(runId);
                }
                view.update(status.get(), plan, Instant.now());
                if (status.get().outcome().isPresent()) {
                    return status.get().state().equals("committed");
                }
                if (hintNoHost && !hinted && status.get().stages().isEmpty()
                        && Instant.now().isAfter(start.plus(NO_HOST_HINT))) {
                    view.note("  nothing has picked the run up yet: is a host running? Start one with "
                            + "'tributary host' in another terminal.");
                    hinted = true;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId);
            }
        }
        throw new IllegalStateException("run " + runId + " did not finish within " + timeout.toSeconds()
                + " s; 'tributary status " + runId + "' shows where it is");
    }
}
