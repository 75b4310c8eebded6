package io.tributary.run;

import java.time.Instant;

/**
 * A pipeline's high-water mark, {@code tributary-state/watermarks/{pipeline}.json}: the largest cursor value
 * the last committed incremental run read. The store stage moves it after the run's manifest is committed and
 * before the run counts as ended; the next run of the pipeline, held until then by its concurrency limit, starts
 * after it.
 */
public record Watermark(String pipeline, String cursor, String value, String runId, Instant committedAt) {
}
