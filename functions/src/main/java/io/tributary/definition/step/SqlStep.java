package io.tributary.definition.step;

import java.util.List;
import java.util.Optional;

/**
 * A whole SELECT over the previous step's rows, which it reads {@code FROM input}: for what the other
 * steps cannot say. It reads nothing else.
 */
public record SqlStep(String query) implements Step {

    @Override
    public String op() {
        return "sql";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.empty();
    }
}
