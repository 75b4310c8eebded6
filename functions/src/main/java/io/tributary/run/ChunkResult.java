package io.tributary.run;

import io.tributary.engine.ColumnStatistics;
import io.tributary.engine.ExpectationResult;
import io.tributary.engine.OutputColumn;
import java.util.List;

/**
 * A transformed chunk, recorded once its Parquet parts and rejects are durable.
 *
 * @param parts   the chunk's Parquet files, by split
 * @param rejects the rejects blob's name in the training container, or null when none were rejected
 * @param references the lookup references the chunk joined, each at the version it read
 */
public record ChunkResult(int chunk, long rowsIn, long rowsOut, long rowsRejected, List<OutputColumn> schema,
                          List<Part> parts, String rejects, List<ExpectationResult> expectations,
                          List<ColumnStatistics> statistics, List<BlobRef> references) {

    public ChunkResult {
        schema = List.copyOf(schema);
        parts = List.copyOf(parts);
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
        statistics = statistics == null ? List.of() : List.copyOf(statistics);
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** One Parquet blob of one split, in the training container. */
    public record Part(String split, String blob, long rows, long bytes) {
    }
}
