package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;

import io.tributary.run.OutputColumn;
import java.util.List;
import java.util.Map;

/**
 * The types a dataset is written with. DuckDB sums whole numbers into 128-bit integers, which Parquet has
 * no type for (they would be written as floating point); such columns are written as 64-bit integers, and
 * a value too large for one fails the run rather than losing precision.
 */
final class OutputTypes {

    private static final Map<String, String> NARROWED = Map.of("HUGEINT", "BIGINT", "UHUGEINT", "UBIGINT");

    private OutputTypes() {
    }

    /** {@code query}, whose columns have {@code types}, with its 128-bit integer columns cast to 64 bits. */
    static String narrow(String query, Map<String, String> types) {
        List<String> casts = types.entrySet().stream()
                .filter(c -> NARROWED.containsKey(c.getValue()))
                .map(c -> "CAST(" + identifier(c.getKey()) + " AS " + NARROWED.get(c.getValue()) + ") AS "
                        + identifier(c.getKey()))
                .toList();
        return casts.isEmpty() ? query : "SELECT * REPLACE (" + String.join(", ", casts) + ") FROM (" + query + ")";
    }

    /** The columns of {@link #narrow}'s query: {@code types}, narrowed. */
    static List<OutputColumn> columns(Map<String, String> types) {
        return types.entrySet().stream()
                .map(c -> new OutputColumn(c.getKey(), NARROWED.getOrDefault(c.getValue(), c.getValue())))
                .toList();
    }
}
