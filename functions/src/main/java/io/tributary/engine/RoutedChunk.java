package io.tributary.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the first half of a chunk's work became when its run routes rows by key ({@link KeyRouting}).
 *
 * @param rowsIn       records read from the chunk, good and bad
 * @param rowsRejected records that did not parse as the declared columns (listed in {@code rejects})
 * @param buckets      the routed rows: one Parquet file per key bucket that got any
 * @param rejects      one JSON object per rejected record: line, column, reason, text
 * @param columns      the routed rows' columns with their DuckDB types, in order: what the buckets read them as
 */
public record RoutedChunk(long rowsIn, long rowsRejected, List<Bucket> buckets, Path rejects,
                          Map<String, String> columns) {

    public RoutedChunk {
        buckets = List.copyOf(buckets);
    }

    /** The rows of one key bucket. */
    public record Bucket(int bucket, Path file, long rows) {
    }
}
