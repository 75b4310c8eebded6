package io.tributary.run;

import java.time.Duration;
import java.time.Instant;

/**
 * How one stage (or one chunk of the transform stage) of a run went.
 *
 * @param stage      a stage of the chain ({@link Stage#CHAIN})
 * @param chunk      the chunk for {@code transform} (for {@code combine}, the key bucket), else -1
 * @param status     {@code running}, {@code succeeded} or {@code failed}
 * @param finishedAt null while running
 * @param error      why it failed, else null
 */
public record StageReport(Stage stage, int chunk, StageStatus status, Instant startedAt, Instant finishedAt,
                          long rowsIn, long rowsOut, long rowsRejected, String error) {

    public static StageReport running(Stage stage, int chunk, Instant startedAt) {
        return new StageReport(stage, chunk, StageStatus.RUNNING, startedAt, null, 0, 0, 0, null);
    }

    public StageReport succeeded(Instant at, long in, long out, long rejected) {
        return new StageReport(stage, chunk, StageStatus.SUCCEEDED, startedAt, at, in, out, rejected, null);
    }

    public StageReport failed(Instant at, String why) {
        return new StageReport(stage, chunk, StageStatus.FAILED, startedAt, at, rowsIn, rowsOut, rowsRejected, why);
    }

    /** Wall time from start to finish, or null while running. */
    public Duration duration() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
