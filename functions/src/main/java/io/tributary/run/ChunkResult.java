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
 */
public record ChunkResult(int chunk, long rowsIn, long rowsOut, long rowsRejected, List<OutputColumn> schema,
                          List<Part> parts, String rejects, List<ExpectationResult> expectations,
                          List<ColumnStatistics> statistics) {

    public ChunkResult {
        schema = List.copyOf(schema);
        parts = List.copyOf(parts);
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
        statistics = statistics == null ? List.of() : List.copyOf(statistics);
    }

    /** One Parquet blob of one split, in the training container. */
    public record Part(String split, String blob, long rows, long bytes) {
    }
}
