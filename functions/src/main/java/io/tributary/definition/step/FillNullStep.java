package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Replaces missing values: {@code {"column": value, …}} with a string, number or boolean value. */
public record FillNullStep(Map<String, Object> values) implements Step {

    public FillNullStep {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String op() {
        return "fillNull";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input);
    }
}
