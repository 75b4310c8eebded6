package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row per group: {@code groupBy} columns, then a column per measure, each a function of a column
 * ({@code {"total": {"sum": "amount"}}}; {@code {"orders": {"count": "*"}}} counts rows).
 *
 * @param groupBy  the grouping columns
 * @param measures measure name → (function, column)
 */
public record AggregateStep(List<String> groupBy, Map<String, Measure> measures) implements Step {

    public static final List<String> FUNCTIONS = List.of("count", "sum", "min", "max", "avg");

    public AggregateStep {
        groupBy = List.copyOf(groupBy);
        measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
    }

    /** A function of one column ({@code *} for a row count). */
    public record Measure(String function, String column) {
    }

    @Override
    public String op() {
        return "aggregate";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        List<String> output = new ArrayList<>(groupBy);
        output.addAll(measures.keySet());
        return Optional.of(output);
    }
}
