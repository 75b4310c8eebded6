package io.tributary.cli;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunPlan;
import io.tributary.run.StageReport;
import io.tributary.history.RunHistory.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How far one stage of a run is: its pieces (chunks, key buckets, or the stage itself) done of those planned,
 * how many are running, how many last failed an attempt (and wait for a retry), and for how long it has run.
 *
 * @param total   the pieces planned, or 0 while extract has not planned the run yet
 * @param elapsed from the first piece's start to the last one's end (or to now while some run); null before the start
 */
record StageProgress(Stage stage, int done, int total, int running, int failed, Duration elapsed) {

    /** The stages of {@code status}'s run and how far each is, in the order they run. */
    static List<StageProgress> of(RunStatus status, Optional<RunPlan> plan, Instant now) {
        int chunks = plan.map(p -> p.chunks().size()).orElse(0);
        int buckets = plan.map(p -> p.chunks().get(0).buckets()).orElse(0);
        List<StageProgress> stages = new ArrayList<>();
        stages.add(of(Stage.EXTRACT, 1, status.stages(), now));
        // A run with job steps (its transform as a job, jobs after its commit) shows them as one stage of pieces.
        int jobs = (int) status.stages().stream().filter(r -> r.stage() == Stage.JOB).count();
        if (jobs > 0) {
            stages.add(of(Stage.JOB, jobs, status.stages(), now));
        }
        stages.add(of(Stage.TRANSFORM, chunks, status.stages(), now));
        if (buckets > 0) {
            stages.add(of(Stage.COMBINE, buckets, status.stages(), now));
        }
        stages.add(of(Stage.STORE, 1, status.stages(), now));
        return stages;
    }

    private static StageProgress of(Stage stage, int total, List<StageReport> reports, Instant now) {
        List<StageReport> mine = reports.stream().filter(r -> r.stage() == stage).toList();
        int done = count(mine, StageStatus.SUCCEEDED);
        int running = count(mine, StageStatus.RUNNING);
        Duration elapsed = null;
        if (!mine.isEmpty()) {
            Instant start = mine.stream().map(StageReport::startedAt).min(Comparator.naturalOrder()).orElseThrow();
            Instant end = running > 0 ? now : mine.stream().map(StageReport::finishedAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(now);
            elapsed = Duration.between(start, end);
        }
        return new StageProgress(stage, done, Math.max(total, mine.size()), running, count(mine, StageStatus.FAILED), elapsed);
    }

    private static int count(List<StageReport> reports, StageStatus status) {
        return (int) reports.stream().filter(r -> r.status() == status).count();
    }

    /** Whether every planned piece succeeded. */
    boolean complete() {
        return total > 0 && done == total;
    }

    /** What a piece of this stage is called, in the plural, when there are several. */
    String pieces() {
        return stage == Stage.COMBINE ? "key buckets" : stage == Stage.JOB ? "jobs" : "chunks";
    }

    /**
     * The stage as one line: its name, a bar of {@code width} cells filled as far as it is done, and words, e.g.
     * {@code transform  ██████░░░░  3 of 5 chunks, 2 running, 1.20 s}.
     *
     * @param ended whether the run has an outcome
     */
    String line(int width, boolean ended) {
        int filled = total == 0 ? 0 : (int) ((long) done * width / total);
        String bar = "█".repeat(filled) + "░".repeat(width - filled);
        return String.format("  %-9s  %s  %s", stage, bar, words(ended)).stripTrailing();
    }

    /** Where the stage is, in words; once the run {@code ended}, a failed piece is no longer retried. */
    String words(boolean ended) {
        if (elapsed == null) {
            return stage == Stage.TRANSFORM && total == 0 ? "waiting for the plan" : "waiting";
        }
        List<String> parts = new ArrayList<>();
        if (total > 1) {
            parts.add(done + " of " + total + " " + pieces());
        } else if (complete()) {
            parts.add("done");
        }
        if (running > 0) {
            parts.add(total > 1 ? running + " running" : "running");
        }
        if (failed > 0) {
            String what = ended ? "failed" : "failed, retrying";
            parts.add(total > 1 ? failed + " " + what : what);
        }
        parts.add(String.format("%.2f s", elapsed.toMillis() / 1000.0));
        return String.join(", ", parts);
    }
}
