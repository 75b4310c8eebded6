package io.tributary.cli;

import io.tributary.run.TransformMessage;
import io.tributary.stage.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Waits for a run to end, printing each stage as it finishes. */
final class RunWaiter {

    private static final Duration NO_HOST_HINT = Duration.ofSeconds(15);

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
        session.history().status(runId).ifPresent(s -> s.stages().forEach(stage -> keys.add(key(stage))));
        return keys;
    }

    /**
     * For a run of several chunks, how many of the stage's chunks or key buckets are done as of the report just
     * {@code printed}, e.g. " (3 of 8 chunks)".
     */
    static String progress(String stage, Set<String> printed, Optional<TransformMessage> chunk) {
        int total = chunk.map(c -> stage.equals("transform") ? c.chunks() : stage.equals("combine") ? c.buckets() : 0)
                .orElse(0);
        if (total < 2) {
            return "";
        }
        long done = printed.stream().filter(k -> k.startsWith(stage + " ") && k.contains(" succeeded ")).count();
        return " (" + done + " of " + total + (stage.equals("combine") ? " key buckets)" : " chunks)");
    }

    private static String key(io.tributary.run.StageReport stage) {
        return stage.stage() + " " + stage.chunk() + " " + stage.status() + " " + stage.startedAt();
    }

    /** As {@link #await(Session, String, Duration, PrintStream, boolean)}, not printing the stage reports in {@code seen}. */
    static boolean await(Session session, String runId, Duration timeout, PrintStream out, boolean hintNoHost,
                         Set<String> seen) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Set<String> printed = new HashSet<>(seen);
        boolean hinted = false;
        // A run cut into chunks says how far each stage is: its plan, written once, tells how many chunks and buckets.
        Optional<TransformMessage> chunk = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            Optional<RunStatus> status = session.history().status(runId);
            if (status.isPresent()) {
                if (chunk.isEmpty()) {
                    chunk = session.runs().plan(runId).map(p -> p.chunks().get(0));
                }
                for (var stage : status.get().stages()) {
                    String key = key(stage);
                    if (!stage.status().equals("running") && printed.add(key)) {
                        out.printf("  %s%s %s in %.2f s%s%n", stage.stage(), stage.chunk() < 0 ? "" : " " + stage.chunk(),
                                stage.status(), stage.duration().toMillis() / 1000.0,
                                progress(stage.stage(), printed, chunk));
                    }
                }
                if (status.get().outcome().isPresent()) {
                    return status.get().state().equals("committed");
                }
                if (hintNoHost && !hinted && status.get().stages().isEmpty()
                        && Instant.now().isAfter(start.plus(NO_HOST_HINT))) {
                    out.println("  nothing has picked the run up yet: is a host running? Start one with "
                            + "'tributary host' in another terminal.");
                    hinted = true;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId);
            }
        }
        throw new IllegalStateException("run " + runId + " did not finish within " + timeout.toSeconds()
                + " s; 'tributary status " + runId + "' shows where it is");
    }
}
