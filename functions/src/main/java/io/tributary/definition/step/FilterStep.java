package io.tributary.definition.step;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps the rows for which a SQL boolean expression is true; rows where it is false or null are dropped. */
public record FilterStep(String where) implements Step {

    @Override
    public String op() {
        return "filter";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input);
    }

    @Override
    public Map<String, String> expressions() {
        return Map.of("/where", where);
    }
}
