package io.tributary.run;

import java.time.Instant;

/**
 * How a run ended: {@code committed} or {@code failed}; written once.
 *
 * @param stage the stage that failed, or null
 * @param chunk the chunk that failed, or -1
 * @param error why it failed, or null
 */
public record RunOutcome(String status, Instant at, String stage, int chunk, String error) {

    public static RunOutcome committed(Instant at) {
        return new RunOutcome("committed", at, null, -1, null);
    }

    public static RunOutcome failed(Instant at, String stage, int chunk, String error) {
        return new RunOutcome("failed", at, stage, chunk, error);
    }
}
