package io.tributary.cli;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunPlan;
import io.tributary.run.StageReport;
import io.tributary.run.TransformMessage;
import io.tributary.history.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Progress as plain lines, for logs and pipes: one line per stage, chunk or key bucket as it finishes, with how
 * many of the stage's pieces are done, e.g. {@code   transform 3 succeeded in 0.71 s (4 of 6 chunks)}.
 */
final class PlainProgress implements ProgressView {

    private final PrintStream out;
    private final Set<String> printed;

    /** @param seen keys ({@link #key}) of reports not to print again */
    PlainProgress(PrintStream out, Set<String> seen) {
        this.out = out;
        this.printed = new HashSet<>(seen);
    }

    /** What tells one report apart from another: the stage, its piece, its status and when that attempt started. */
    static String key(StageReport stage) {
        return stage.stage() + " " + stage.chunk() + " " + stage.status() + " " + stage.startedAt();
    }

    @Override
    public void update(RunStatus status, Optional<RunPlan> plan, Instant now) {
        Optional<TransformMessage> chunk = plan.map(p -> p.chunks().get(0));
        for (StageReport stage : status.stages()) {
            if (stage.status() != StageStatus.RUNNING && printed.add(key(stage))) {
                out.printf("  %s%s %s in %.2f s%s%n", stage.stage(), stage.chunk() < 0 ? "" : " " + stage.chunk(),
                        stage.status(), stage.duration().toMillis() / 1000.0, progress(stage.stage(), printed, chunk));
            }
        }
    }

    @Override
    public void note(String line) {
        out.println(line);
    }

    /**
     * For a run of several chunks, how many of the stage's chunks or key buckets are done as of the report just
     * {@code printed}, e.g. " (3 of 8 chunks)".
     */
    static String progress(Stage stage, Set<String> printed, Optional<TransformMessage> chunk) {
        int total = chunk.map(c -> stage == Stage.TRANSFORM ? c.chunks() : stage == Stage.COMBINE ? c.buckets() : 0)
                .orElse(0);
        if (total < 2) {
            return "";
        }
        long done = printed.stream().filter(k -> k.startsWith(stage + " ") && k.contains(" succeeded ")).count();
        return " (" + done + " of " + total + (stage == Stage.COMBINE ? " key buckets)" : " chunks)");
    }
}
