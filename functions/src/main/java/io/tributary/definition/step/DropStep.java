package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.List;
import java.util.Optional;

/** Removes the named columns. */
public record DropStep(List<String> columns) implements Step {

    public DropStep {
        columns = List.copyOf(columns);
    }

    @Override
    public String op() {
        return "drop";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input.stream().filter(c -> !columns.contains(c)).toList());
    }
}
