package io.tributary.definition.step;

import io.tributary.definition.sql.SqlText;
import java.util.List;
import java.util.Optional;

/**
 * Keeps one row per key: the first (or last) by {@code orderBy}. The order is explicit because a file's
 * row order means nothing once a run is cut into chunks; rows that tie on it keep any one of them.
 *
 * @param keys    the columns that identify a row
 * @param orderBy the columns that order the rows of one key
 * @param keep    {@code first} or {@code last}
 */
public record DedupeStep(List<String> keys, List<String> orderBy, String keep) implements Step {

    public static final List<String> KEEP = List.of("first", "last");

    public DedupeStep {
        keys = List.copyOf(keys);
        orderBy = List.copyOf(orderBy);
    }

    @Override
    public String op() {
        return "dedupe";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        return Optional.of(input);
    }
}
