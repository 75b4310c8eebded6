package io.tributary.cli;

import io.tributary.run.RunPlan;
import io.tributary.history.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Shows a run's progress while {@link RunWaiter} waits for it: live bars on a terminal, plain lines otherwise. */
interface ProgressView {

    /** Shows the run as it is now; {@code plan} is empty until extract planned its chunks. */
    void update(RunStatus status, Optional<RunPlan> plan, Instant now);

    /** Says something about the wait itself, below the progress shown so far. */
    void note(String line);

    /**
     * The view for {@code out}: live bars when it is this process's terminal (and {@code TRIBUTARY_PROGRESS} is not
     * {@code plain}), else a plain line per stage, chunk or key bucket as it finishes, skipping the reports in
     * {@code seen}.
     */
    static ProgressView forOutput(PrintStream out, Set<String> seen) {
        return isTerminal(out) ? new LiveProgress(out) : new PlainProgress(out, seen);
    }

    private static boolean isTerminal(PrintStream out) {
        return out == System.out && System.console() != null && !"dumb".equals(System.getenv("TERM"))
                && !"plain".equalsIgnoreCase(System.getenv().getOrDefault("TRIBUTARY_PROGRESS", ""));
    }
}
