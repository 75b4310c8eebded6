package io.tributary.definition.step;

import io.tributary.definition.column.ColumnType;
import io.tributary.definition.sql.SqlText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts columns to other types: {@code {"column": "type", …}}. A value that does not convert fails the run. */
public record CastStep(Map<String, ColumnType> columns) implements Step {

    public CastStep {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    @Override
    public String op() {
        return "cast";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input);
    }
}
