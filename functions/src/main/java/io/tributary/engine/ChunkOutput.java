package io.tributary.engine;

import io.tributary.definition.output.SplitName;
import io.tributary.run.ColumnStatistics;
import io.tributary.run.ExpectationResult;
import io.tributary.run.OutputColumn;
import java.nio.file.Path;
import java.util.List;

/**
 * What one chunk became.
 *
 * @param rowsIn       records read from the chunk, good and bad
 * @param rowsOut      rows written to the parts after every step
 * @param rowsRejected records that did not parse as the declared columns (listed in {@code rejects})
 * @param parts        the rows, as Parquet files, one or more per split
 * @param rejects      one JSON object per rejected record: line, column, reason, text
 * @param schema       the columns of the parts
 * @param expectations how each expectation fared
 * @param statistics   per-column statistics of the rows written
 */
public record ChunkOutput(long rowsIn, long rowsOut, long rowsRejected, List<Part> parts, Path rejects,
                          List<OutputColumn> schema, List<ExpectationResult> expectations,
                          List<ColumnStatistics> statistics) {

    /** The split rows go to when a definition declares none. */
    public static final SplitName NO_SPLIT = SplitName.NONE;

    public ChunkOutput {
        parts = List.copyOf(parts);
        schema = List.copyOf(schema);
        expectations = List.copyOf(expectations);
        statistics = List.copyOf(statistics);
    }

    /**
     * One file of one split.
     *
     * @param partition its partition folders inside the split, such as {@code region=north/}, or empty
     */
    public record Part(SplitName split, String partition, Path file, long rows) {
    }
}
