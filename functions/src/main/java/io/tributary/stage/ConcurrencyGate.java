package io.tributary.stage;

import io.tributary.run.RunLayout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Keeps at most {@code concurrency} runs of a pipeline going at once. Every started run has an active marker
 * ({@link RunLayout#activeRun}) until its outcome is recorded; a run that may go on also gets an admitted marker.
 * A run is admitted when fewer than {@code limit} other admitted runs of its pipeline are still going and fewer than
 * {@code limit} older runs (run ids sort by time) are active: runs go in the order they are named, and a run that
 * started late under an older id does not overtake one that is already going.
 *
 * <p>Markers of runs that have an outcome are removed when seen. An admitted run that has been going for more than
 * {@code stale} without an outcome (its host died on the last attempt) stops counting, so one lost run does not hold
 * a pipeline forever.
 */
public final class ConcurrencyGate {

    /** How long an admitted run without an outcome counts as going. */
    public static final Duration DEFAULT_STALE = Duration.ofHours(24);

    private final RunStore runs;
    private final Clock clock;
    private final Duration stale;

    public ConcurrencyGate(RunStore runs, Clock clock, Duration stale) {
        this.runs = runs;
        this.clock = clock;
        this.stale = stale;
    }

    /** Marks a started run of {@code pipeline} active; once only. */
    public void register(String pipeline, String runId) {
        runs.blobs().createIfAbsent(RunLayout.STATE, RunLayout.activeRun(pipeline, runId), now());
    }

    /**
     * Whether run {@code runId} may go on now, at most {@code limit} runs of {@code pipeline} going at once; if it
     * may, records it admitted. Asking again for an admitted run says yes.
     */
    public boolean admit(String pipeline, String runId, int limit) {
        BlobStore blobs = runs.blobs();
        if (blobs.properties(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId)).isPresent()) {
            return true;
        }
        register(pipeline, runId);
        int going = 0;
        for (String other : runIds(RunLayout.admittedPrefix(pipeline))) {
            if (!other.equals(runId) && stillGoing(pipeline, other) && !isStale(pipeline, other)) {
                going++;
            }
        }
        if (going >= limit) {
            return false;
        }
        int older = 0;
        for (String other : runIds(RunLayout.activePrefix(pipeline))) {
            if (other.compareTo(runId) >= 0) {
                break;
            }
            if (stillGoing(pipeline, other) && ++older >= limit) {
                return false;
            }
        }
        blobs.createIfAbsent(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId), now());
        return true;
    }

    /** The run ids named under {@code prefix}, in order. */
    private List<String> runIds(String prefix) {
        return runs.blobs().list(RunLayout.STATE, prefix).stream().map(name -> name.substring(prefix.length())).toList();
    }

    /** Whether the run has no outcome yet; removes the markers of one that has. */
    private boolean stillGoing(String pipeline, String runId) {
        if (runs.outcome(runId).isEmpty()) {
            return true;
        }
        RunStore.release(runs.blobs(), pipeline, runId);
        return false;
    }

    private boolean isStale(String pipeline, String runId) {
        return runs.blobs().read(RunLayout.STATE, RunLayout.admittedRun(pipeline, runId)).map(v -> {
            try {
                return Instant.parse(new String(v.content(), StandardCharsets.UTF_8).trim()).plus(stale)
                        .isBefore(clock.instant());
            } catch (DateTimeParseException e) {
                return false;
            }
        }).orElse(false);
    }

    private byte[] now() {
        return clock.instant().toString().getBytes(StandardCharsets.UTF_8);
    }
}
