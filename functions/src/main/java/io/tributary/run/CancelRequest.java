package io.tributary.run;

import java.time.Instant;

/**
 * Someone asked a run to stop ({@code tributary cancel}, {@code POST /api/runs/{runId}/cancel}), kept in the run's
 * folder: the first stage that meets the run after it fails the run as cancelled, and a job the run waits on is
 * cancelled on its compute.
 *
 * @param at when it was asked
 * @param by who asked, as the asker says it ({@code the command line}, {@code the HTTP API})
 */
public record CancelRequest(Instant at, String by) {

    /** The run's outcome's error: {@code cancelled by request (the command line, at …)}. */
    public String reason() {
        return "cancelled by request (" + by + ", at " + at + ")";
    }
}
