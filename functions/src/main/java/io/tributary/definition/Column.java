package io.tributary.definition;

import java.util.Objects;

/** A typed column of the source, in file order. A non-nullable column rejects rows where it is empty. */
public record Column(String name, ColumnType type, boolean nullable) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
