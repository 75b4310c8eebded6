package io.tributary.run;

import io.tributary.engine.OutputColumn;
import java.util.List;

/**
 * A transformed chunk, recorded once its Parquet part and rejects are durable.
 *
 * @param part    the Parquet part's blob name in the training container
 * @param rejects the rejects blob's name in the training container, or null when none were rejected
 */
public record ChunkResult(int chunk, long rowsIn, long rowsOut, long rowsRejected, long bytes,
                          List<OutputColumn> schema, String part, String rejects) {
    public ChunkResult {
        schema = List.copyOf(schema);
    }
}
