package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.List;
import java.util.Optional;

/** Keeps the named columns, in the order given. */
public record SelectStep(List<String> columns) implements Step {

    public SelectStep {
        columns = List.copyOf(columns);
    }

    @Override
    public String op() {
        return "select";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(columns);
    }
}
