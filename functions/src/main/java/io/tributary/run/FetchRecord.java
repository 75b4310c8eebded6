package io.tributary.run;

import java.util.List;

/**
 * What extract fetched for a run whose source is an API or a database: written once, create-only, after the
 * fetched records are in place, so a redelivered extract reuses them instead of fetching again.
 *
 * @param kind      {@code rest} or {@code sql}
 * @param spool     the JSON Lines blob the run reads
 * @param records   records fetched
 * @param bytes     bytes of JSON Lines written
 * @param requests  what was asked of the source (requests or the query with its parameters), without secrets
 * @param watermark the incremental range the run covers, or null for a source without a cursor
 */
public record FetchRecord(String kind, BlobRef spool, long records, long bytes, List<String> requests,
                          WatermarkRange watermark) {

    public FetchRecord {
        requests = requests == null ? List.of() : List.copyOf(requests);
    }

    /**
     * The incremental range of one run: records whose {@code cursor} is after {@code low} (null: from the start)
     * up to {@code high}, the largest value read (which is {@code low} again when nothing new was read).
     *
     * @param fullRefresh whether the run ignored the pipeline's high-water mark on purpose
     */
    public record WatermarkRange(String cursor, String low, String high, boolean fullRefresh) {
    }
}
