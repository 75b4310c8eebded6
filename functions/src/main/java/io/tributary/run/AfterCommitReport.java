package io.tributary.run;

import java.time.Instant;

/**
 * What became of a dropped file once its run committed, as its pipeline's {@code trigger.afterCommit} asked.
 *
 * @param action  {@code archive} or {@code delete}
 * @param status  {@code archived}, {@code deleted}, {@code skipped} (the file changed or went since the run read
 *                it, so it was left alone) or {@code failed} (the file stays where it was; the commit stands)
 * @param detail  where it went, or why it was skipped or failed
 */
public record AfterCommitReport(String action, String status, String detail, Instant at) {
}
