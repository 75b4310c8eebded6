package io.tributary.definition.column;

import java.util.Objects;
import java.util.Optional;

/**
 * A typed column of the source, in file order. A non-nullable column rejects rows where it is empty.
 *
 * @param timeZone for a {@code timestamp}, the zone its wall-clock values are written in; the column then
 *                 holds instants (UTC in the dataset). Empty for a plain timestamp and every other type.
 */
public record Column(String name, ColumnType type, boolean nullable, Optional<String> timeZone) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeZone, "timeZone");
        if (timeZone.isPresent() && !type.name().equals("timestamp")) {
            throw new IllegalArgumentException("only a timestamp column has a time zone, not " + type);
        }
    }

    public Column(String name, ColumnType type, boolean nullable) {
        this(name, type, nullable, Optional.empty());
    }

    /** The DuckDB type the column has once parsed: a zoned timestamp is an instant. */
    public String sqlType() {
        return timeZone.isPresent() ? "TIMESTAMP WITH TIME ZONE" : type.sqlType();
    }
}
