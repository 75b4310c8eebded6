package io.tributary.cli;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunPlan;
import io.tributary.history.RunHistory.RunStatus;
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
    static boolean await(Session session, RunId runId, Duration timeout, PrintStream out, boolean hintNoHost) {
        return await(session, runId, timeout, out, hintNoHost, Set.of(), false);
    }

    /**
     * Follows a run a command started ({@code --wait}): its progress, a hint when no host picks it up, and how it
     * ended ({@link #ending}). Returns true when it committed.
     */
    static boolean follow(Session session, RunId runId, Duration timeout, PrintStream out, Set<String> seen) {
        return await(session, runId, timeout, out, true, seen, true);
    }

    /**
     * How the run ended, in a line: a committed run's dataset and its rows, or where a failed run failed and why
     * ({@code Run … of orders failed in transform chunk 0: …}).
     */
    static String ending(RunStatus status) {
        var record = status.record();
        var outcome = status.outcome().orElseThrow();
        String run = "Run " + record.runId() + " of " + record.pipeline();
        if (outcome.status() != RunState.COMMITTED) {
            return run + " failed in " + (outcome.stage() == null ? "an unknown stage" : outcome.place()) + ": "
                    + (outcome.error() == null ? "no error was recorded" : outcome.error())
                    + "; 'tributary status " + record.runId() + "' shows every stage";
        }
        return status.manifest().map(manifest -> run + " committed: dataset " + RunLayout.TRAINING + "/"
                + RunLayout.datasetFolder(manifest.pipeline(), manifest.runId()) + " — " + manifest.rows().out() + " row"
                + (manifest.rows().out() == 1 ? "" : "s") + (manifest.splits().size() < 2 ? "" : manifest.splits()
                .entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ", " (", ")"))))
                .orElse(run + " committed");
    }

    /** The stage reports of the run so far, as {@link #await} tells them apart: not printed again by it. */
    static Set<String> seen(Session session, RunId runId) {
        Set<String> keys = new HashSet<>();
        session.history().status(runId).ifPresent(s -> s.stages().forEach(stage -> keys.add(PlainProgress.key(stage))));
        return keys;
    }

    /**
     * As {@link #await(Session, String, Duration, PrintStream, boolean)}, not printing the stage reports in
     * {@code seen}, and with {@code tellEnding} a line on how the run ended.
     */
    private static boolean await(Session session, RunId runId, Duration timeout, PrintStream out, boolean hintNoHost,
                                 Set<String> seen, boolean tellEnding) {
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
                    RunStatus ended = status.get().manifest().isPresent() || status.get().state() != RunState.COMMITTED
                            ? status.get() : session.history().status(runId).orElseThrow();
                    if (tellEnding) {
                        out.println(ending(ended));
                    }
                    return ended.state() == RunState.COMMITTED;
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
