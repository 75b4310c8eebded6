package io.tributary.port;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import java.time.Instant;

/**
 * One stage, chunk or key bucket of a run as the history keeps it.
 *
 * @param chunk      the chunk (transform) or key bucket (combine), else -1
 * @param status     {@code running}, {@code succeeded} or {@code failed}
 * @param finishedAt null while running
 * @param bytes      what the stage wrote, where known, else null
 * @param attempts   the attempts started
 */
public record StageRow(Stage stage, int chunk, StageStatus status, Instant startedAt, Instant finishedAt, long rowsIn,
                       long rowsOut, long rowsRejected, Long bytes, int attempts, String error) {
}
