package io.tributary.stage;

import io.tributary.port.BlobStore;
import io.tributary.run.RunId;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps at most {@code concurrency} runs of a pipeline going at once. Every started run has an active marker
 * ({@link RunLayout#activeRun}) until its outcome is recorded; a run that may go on also gets an admitted marker.
 * A run is admitted when fewer than {@code limit} other admitted runs of its pipeline are still going and fewer than
 * {@code limit} older runs (run ids sort by time) are active: runs go in the order they are named, and a run that
 * started late under an older id does not overtake one that is already going.
 *
 * <p>Markers of runs that have an outcome are removed when seen. A run without an outcome that has shown no sign of
 * life for more than {@code stale} is lost: its host died on the last attempt, its message was lost, or it was
 * stranded between being registered and handed to extract. Signs of life are its markers (written when it starts, is
 * admitted, and each time it is held here) and its stage reports. The gate records a failed outcome for a lost run
 * when it meets one, so the run shows as failed in {@code tributary status} and no longer holds its pipeline.
 */
public final class ConcurrencyGate {

    /** How long a run without an outcome may show no sign of life before it counts as lost. */
    public static final Duration DEFAULT_STALE = Duration.ofHours(24);

    private final RunStore runs;
    private final Clock clock;
    private final Duration stale;

    public ConcurrencyGate(RunStore runs, Clock clock, Duration stale) {
        this.runs = runs;
        this.clock = clock;
        this.stale = stale;
    }

    /** Marks a started run of {@code pipeline} active; once only. Returns whether this call marked it. */
    public boolean register(String pipeline, RunId runId) {
        return runs.blobs().createIfAbsent(RunLayout.STATE, RunLayout.activeRun(pipeline, runId), now());
    }

    /**
     * Marks a run that is resumed past extract active and admitted again: it was admitted before it failed, and
     * its extract, where the limit is checked, does not run again.
     */
    public void readmit(String pipeline, RunId runId) {
        register(pipeline, runId);
        runs.blobs().createIfAbsent(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId), now());
    }

    /**
     * Whether run {@code runId} may go on now, at most {@code limit} runs of {@code pipeline} going at once; if it
     * may, records it admitted. Asking again for an admitted run says yes. A run held is recorded as still waiting,
     * so that it is not taken for lost however long it waits.
     */
    public boolean admit(String pipeline, RunId runId, int limit) {
        BlobStore blobs = runs.blobs();
        if (blobs.properties(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId)).isPresent()) {
            return true;
        }
        register(pipeline, runId);
        // An admitted run is active too: each other run is judged once per call.
        Map<RunId, Boolean> counted = new HashMap<>();
        int going = 0;
        for (RunId other : runIds(RunLayout.admittedPrefix(pipeline))) {
            if (!other.equals(runId) && counted.computeIfAbsent(other, o -> counts(pipeline, o))) {
                going++;
            }
        }
        if (going >= limit) {
            return held(pipeline, runId);
        }
        int older = 0;
        for (RunId other : runIds(RunLayout.activePrefix(pipeline))) {
            if (other.compareTo(runId) >= 0) {
                break;
            }
            if (counted.computeIfAbsent(other, o -> counts(pipeline, o)) && ++older >= limit) {
                return held(pipeline, runId);
            }
        }
        blobs.createIfAbsent(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId), now());
        return true;
    }

    /** Records that the held run was seen waiting now; returns false. */
    private boolean held(String pipeline, RunId runId) {
        runs.blobs().put(RunLayout.STATE, RunLayout.activeRun(pipeline, runId), now());
        return false;
    }

    /** The run ids named under {@code prefix}, in order; only this gate writes there, one blob per run id. */
    private List<RunId> runIds(String prefix) {
        return runs.blobs().list(RunLayout.STATE, prefix).stream()
                .map(name -> RunId.parse(name.substring(prefix.length())))
                .toList();
    }

    /**
     * Whether another run counts against the limit: it has no outcome and is not lost. Removes the markers of a
     * run that has an outcome; records the outcome of a lost one.
     */
    private boolean counts(String pipeline, RunId runId) {
        if (runs.outcome(runId).isPresent()) {
            RunStore.release(runs.blobs(), pipeline, runId);
            return false;
        }
        // A sign of life at or after the cutoff keeps the run going: lost means silent for more than stale.
        Instant cutoff = clock.instant().minus(stale);
        if (markedSince(pipeline, runId, cutoff)) {
            return true;
        }
        List<StageReport> reports = runs.reports(runId);
        if (reports.stream().anyMatch(r -> isSince(r.startedAt(), cutoff) || isSince(r.finishedAt(), cutoff))) {
            return true;
        }
        if (runs.record(runId).map(RunRecord::startedAt).filter(t -> isSince(t, cutoff)).isPresent()) {
            return true;
        }
        // A run waiting on a long job is checked on through delayed messages: each check is a sign of life.
        if (runs.lastJobCheck(runId).filter(t -> isSince(t, cutoff)).isPresent()) {
            return true;
        }
        abandon(pipeline, runId, reports);
        return false;
    }

    /** Whether either marker of the run was written at or after {@code cutoff}. */
    private boolean markedSince(String pipeline, RunId runId, Instant cutoff) {
        return markedAt(RunLayout.activeRun(pipeline, runId)).filter(t -> isSince(t, cutoff)).isPresent()
                || markedAt(RunLayout.admittedRun(pipeline, runId)).filter(t -> isSince(t, cutoff)).isPresent();
    }

    private Optional<Instant> markedAt(String marker) {
        return runs.blobs().read(RunLayout.STATE, marker).flatMap(v -> {
            try {
                return Optional.of(Instant.parse(new String(v.content(), StandardCharsets.UTF_8).trim()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    private static boolean isSince(Instant time, Instant cutoff) {
        return time != null && !time.isBefore(cutoff);
    }

    /**
     * Fails a lost run, naming the stage it was in: the furthest stage it reported, at its first chunk that did not
     * succeed; after a stage that succeeded throughout, the next one; extract when it reported nothing.
     */
    private void abandon(String pipeline, RunId runId, List<StageReport> reports) {
        Instant now = clock.instant();
        String error = "abandoned: no stage reported for " + describe(stale) + "; the run is considered lost; start it "
                + "again (tributary run) if needed";
        Optional<StageReport> unfinished = reports.stream().filter(r -> r.status() != StageStatus.SUCCEEDED)
                .max(Comparator.comparingInt((StageReport r) -> Stage.CHAIN.indexOf(r.stage()))
                        .thenComparing(Comparator.comparingInt(StageReport::chunk).reversed()));
        int furthest = reports.stream().mapToInt(r -> Stage.CHAIN.indexOf(r.stage())).max().orElse(0);
        Optional<StageReport> inStage = unfinished.filter(r -> Stage.CHAIN.indexOf(r.stage()) == furthest);
        Stage stage;
        int chunk = -1;
        if (inStage.isPresent()) {
            stage = inStage.get().stage();
            chunk = inStage.get().chunk();
        } else if (reports.isEmpty()) {
            stage = Stage.EXTRACT;
        } else if (runs.handedOff(runId, Stage.STORE) || Stage.CHAIN.get(furthest) == Stage.STORE) {
            stage = Stage.STORE;
        } else if (runs.handedOff(runId, Stage.COMBINE) || Stage.CHAIN.get(furthest) == Stage.COMBINE) {
            stage = Stage.COMBINE;
        } else {
            stage = Stage.TRANSFORM; // extract succeeded, or chunks did and none handed the run on
        }
        RunOutcome outcome = RunOutcome.failed(now, stage, chunk, error);
        runs.finish(runId, outcome);
        RunStore.release(runs.blobs(), pipeline, runId);
        // The first outcome stands: only when it is this one does the stage's report no longer say running.
        if (inStage.isPresent() && runs.outcome(runId).filter(outcome::equals).isPresent()) {
            runs.report(runId, inStage.get().failed(now, error));
        }
    }

    /** {@code 24 h}, or {@code 90 min} when not whole hours. */
    static String describe(Duration duration) {
        return duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0 ? duration.toHours() + " h"
                : duration.toMinutes() + " min";
    }

    private byte[] now() {
        return clock.instant().toString().getBytes(StandardCharsets.UTF_8);
    }
}
