package io.tributary.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What one chunk became.
 *
 * @param rowsIn       records read from the chunk, good and bad
 * @param rowsOut      rows written to {@code parquet} after every step
 * @param rowsRejected records that did not parse as the declared columns (listed in {@code rejects})
 * @param parquet      the rows, as Parquet
 * @param rejects      one JSON object per rejected record: line, column, reason, text
 * @param schema       the columns of {@code parquet}
 */
public record ChunkOutput(long rowsIn, long rowsOut, long rowsRejected, Path parquet, Path rejects,
                          List<OutputColumn> schema) {
    public ChunkOutput {
        schema = List.copyOf(schema);
    }
}
