package io.tributary.run;

import java.time.Instant;

/** {@code training/{pipeline}/latest.json}: the newest committed run of a pipeline. */
public record LatestPointer(String pipeline, RunId runId, String manifest, Instant committedAt) {
}
