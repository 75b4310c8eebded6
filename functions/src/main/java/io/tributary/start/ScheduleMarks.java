package io.tributary.start;

import io.tributary.port.BlobStore;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import java.time.Instant;
import java.util.Optional;

/**
 * Per pipeline, the newest occurrence of its schedule that a tick dealt with (started, or skipped by its missed-
 * window policy). Writes are conditional on the blob's ETag, so two hosts ticking at once agree and the mark never
 * moves back.
 */
public final class ScheduleMarks {

    private static final int MAX_TRIES = 5;

    private final BlobStore blobs;

    public ScheduleMarks(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The stored form. */
    record Mark(Instant occurrence) {
    }

    /** The newest occurrence dealt with, or empty when no tick has seen the pipeline yet. */
    public Optional<Instant> read(String pipeline) {
        return blobs.read(RunLayout.STATE, RunLayout.scheduleMark(pipeline))
                .map(v -> Json.read(v.content(), Mark.class).occurrence());
    }

    /** Moves the mark forward to {@code occurrence}; does nothing if it is there or further already. */
    public void advance(String pipeline, Instant occurrence) {
        for (int i = 0; i < MAX_TRIES; i++) {
            Optional<BlobStore.Versioned> current = blobs.read(RunLayout.STATE,
                    RunLayout.scheduleMark(pipeline));
            if (current.isPresent()
                    && !Json.read(current.get().content(), Mark.class).occurrence().isBefore(occurrence)) {
                return;
            }
            if (blobs.putIfUnchanged(RunLayout.STATE, RunLayout.scheduleMark(pipeline), Json.bytes(new Mark(occurrence)),
                    current.map(BlobStore.Versioned::etag).orElse(null))) {
                return;
            }
        }
        throw new IllegalStateException("the schedule mark of " + pipeline + " kept changing under this tick; the "
                + "next tick tries again");
    }
}
