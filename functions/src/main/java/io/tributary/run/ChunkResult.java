package io.tributary.run;

import io.tributary.definition.output.SplitName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transformed chunk, recorded once its Parquet parts and rejects are durable.
 *
 * @param parts   the chunk's Parquet files, by split
 * @param rejects the rejects blob's name in the training container, or null when none were rejected
 * @param references the lookup references the chunk joined, each at the version it read
 * @param routed     for a chunk of a run that routes rows by key: its rows, one blob per key bucket (no parts)
 * @param routedColumns the routed rows' columns with their engine types, in order; empty when not routed
 */
public record ChunkResult(int chunk, long rowsIn, long rowsOut, long rowsRejected, List<OutputColumn> schema,
                          List<Part> parts, String rejects, List<ExpectationResult> expectations,
                          List<ColumnStatistics> statistics, List<BlobRef> references, List<Routed> routed,
                          Map<String, String> routedColumns) {

    /** A transformed chunk (or combined key bucket) whose rows went into parts. */
    public ChunkResult(int chunk, long rowsIn, long rowsOut, long rowsRejected, List<OutputColumn> schema,
                       List<Part> parts, String rejects, List<ExpectationResult> expectations,
                       List<ColumnStatistics> statistics, List<BlobRef> references) {
        this(chunk, rowsIn, rowsOut, rowsRejected, schema, parts, rejects, expectations, statistics, references,
                List.of(), Map.of());
    }

    public ChunkResult {
        schema = List.copyOf(schema);
        parts = List.copyOf(parts);
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
        statistics = statistics == null ? List.of() : List.copyOf(statistics);
        references = references == null ? List.of() : List.copyOf(references);
        routed = routed == null ? List.of() : List.copyOf(routed);
        routedColumns = routedColumns == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(routedColumns));
    }

    /** The rows a chunk routed to one key bucket: a Parquet blob in the runs container. */
    public record Routed(int bucket, String blob, long rows) {
    }

    /** One Parquet blob of one split, in the training container. */
    public record Part(SplitName split, String blob, long rows, long bytes) {
    }
}
