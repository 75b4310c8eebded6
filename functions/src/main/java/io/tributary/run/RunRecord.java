package io.tributary.run;

import java.time.Instant;

/**
 * What started a run; written once, when the run starts.
 *
 * @param trigger        {@code fileDrop}, {@code schedule} or {@code manual}
 * @param definitionHash the hash of the definition snapshot the run uses
 */
public record RunRecord(String runId, String pipeline, String trigger, BlobRef source, String definitionHash,
                        Instant startedAt) {
}
