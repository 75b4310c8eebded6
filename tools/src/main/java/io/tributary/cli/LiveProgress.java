package io.tributary.cli;

import io.tributary.run.RunPlan;
import io.tributary.history.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Progress for a terminal: a bar per stage, redrawn in place as chunks and key buckets finish.
 *
 * <pre>
 *   extract    ████████████████████████  done, 0.08 s
 *   transform  ████████████░░░░░░░░░░░░  4 of 8 chunks, 2 running, 3.20 s
 *   combine    ░░░░░░░░░░░░░░░░░░░░░░░░  waiting
 *   store      ░░░░░░░░░░░░░░░░░░░░░░░░  waiting
 * </pre>
 */
final class LiveProgress implements ProgressView {

    static final int BAR_WIDTH = 24;
    private static final String UP = "\033[%dA";
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private int drawn;

    LiveProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(RunStatus status, Optional<RunPlan> plan, Instant now) {
        boolean ended = status.outcome().isPresent();
        draw(StageProgress.of(status, plan, now).stream().map(s -> s.line(BAR_WIDTH, ended)).toList());
    }

    @Override
    public void note(String line) {
        out.println(line);
        drawn = 0;
    }

    /** Replaces the lines drawn last with {@code lines}. */
    void draw(List<String> lines) {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append(String.format(UP, drawn));
        }
        for (String line : lines) {
            frame.append(CLEAR_LINE).append(line).append('\n');
        }
        for (int extra = lines.size(); extra < drawn; extra++) {
            frame.append(CLEAR_LINE).append('\n');
        }
        drawn = Math.max(drawn, lines.size());
        out.print(frame);
        out.flush();
    }
}
