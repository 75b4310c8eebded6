package io.tributary.definition.step;

import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.sql.SqlText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds columns computed by SQL expressions on the row: {@code {"new_column": "expression", …}}. A later
 * expression may use an earlier one's column.
 */
public record DeriveStep(Map<String, String> columns) implements Step {

    public DeriveStep {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    @Override
    public String op() {
        return "derive";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        List<String> output = new ArrayList<>(input);
        output.addAll(columns.keySet());
        return Optional.of(output);
    }

    @Override
    public Map<String, String> expressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        columns.forEach((name, expression) -> expressions.put("/columns/" + LocatedJson.escape(name), expression));
        return expressions;
    }
}
