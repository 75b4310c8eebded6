package io.tributary.definition.step;

import io.tributary.definition.column.ColumnType;
import io.tributary.definition.sql.SqlText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns fields of a nested JSON column into typed columns of their own: {@code {"city": "string",
 * "geo.lat": "double"}} from {@code address} gives {@code address_city} and {@code address_geo_lat}. A missing
 * field gives null; a value that does not convert to its type fails the run, naming it.
 *
 * @param column the JSON column to read
 * @param fields the field paths (dot-separated for nested objects) → their types
 * @param prefix what the new columns' names start with
 * @param keep   whether the JSON column stays
 */
public record FlattenStep(String column, Map<String, ColumnType> fields, String prefix, boolean keep) implements Step {

    public FlattenStep {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The default prefix for {@code column}'s fields: {@code address_}. */
    public static String defaultPrefix(String column) {
        return column + "_";
    }

    /** The column a field becomes: the prefix, then the path with {@code _} for {@code .}. */
    public String columnFor(String field) {
        return prefix + field.replace('.', '_');
    }

    @Override
    public String op() {
        return "flatten";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        List<String> output = new ArrayList<>(input);
        if (!keep) {
            output.remove(column);
        }
        fields.keySet().forEach(f -> output.add(columnFor(f)));
        return Optional.of(output);
    }
}
