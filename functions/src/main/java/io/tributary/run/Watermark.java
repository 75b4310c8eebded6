package io.tributary.run;

import java.time.Instant;

/**
 * A pipeline's high-water mark, {@code tributary-state/watermarks/{pipeline}.json}: the largest cursor value that the
 * last committed incremental run read.
 *
 * <p>It moves with the run's manifest, atomically: before the store stage writes a manifest it records the run's
 * mark as {@code pending}; a pending mark counts exactly when that run's manifest exists. So a run whose commit
 * died half-way leaves the mark where it was, and one whose manifest was written has moved it, whatever happened
 * after. The store then settles the pending mark into the committed fields.
 *
 * @param cursor  the cursor the committed mark is for, or null before any run committed
 * @param value   the committed mark, or null: read from the start (a full load that found nothing)
 * @param runId   the run that committed it, or null
 * @param pending the mark of a run that is committing, which counts once its manifest exists; or null
 */
public record Watermark(String pipeline, String cursor, String value, RunId runId, Instant committedAt,
                        Pending pending) {

    /** The mark a committing run records before its manifest. */
    public record Pending(RunId runId, String cursor, String value) {
    }

    /** A mark as a run reads it: the cursor it is for, and its value (null: from the start). */
    public record Mark(String cursor, String value) {
    }
}
