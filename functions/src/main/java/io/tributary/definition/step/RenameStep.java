package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renames columns: {@code {"old": "new", …}}; the columns keep their place. */
public record RenameStep(Map<String, String> columns) implements Step {

    public RenameStep {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    @Override
    public String op() {
        return "rename";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input.stream().map(c -> columns.getOrDefault(c, c)).toList());
    }
}
