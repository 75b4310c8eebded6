package io.tributary.definition.column;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads {@code "columns"}: each declared column's name, type, whether it may be null and a timestamp's zone. */
public final class ColumnReader {

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public ColumnReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The columns {@code node} declares, those that read without problems; none when absent (each run then infers
     * its columns from a sample of its input).
     */
    public List<Column> columns(JsonNode node) {
        List<Column> columns = new ArrayList<>();
        if (node == null) {
            return columns; // inferred by each run from a sample of its input
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/columns", "expected a non-empty array of columns, found " + Fields.describe(node));
            return columns;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/columns/" + i;
            JsonNode column = node.get(i);
            if (!fields.object(column, at, Set.of("name", "type", "nullable", "timeZone"))) {
                continue;
            }
            String name = fields.string(column, at, "name", true);
            if (name != null && name.isBlank()) {
                fields.problem(at + "/name", "a column name cannot be empty");
                name = null;
            }
            String typeText = fields.string(column, at, "type", true);
            boolean nullable = fields.bool(column, at, "nullable", true);
            if (name != null && !seen.add(name.toLowerCase(Locale.ROOT))) {
                fields.problem(at + "/name", "column '" + name + "' is declared twice (names are case-insensitive)");
            }
            ColumnType type = null;
            if (typeText != null) {
                try {
                    type = ColumnType.parse(typeText);
                } catch (IllegalArgumentException e) {
                    fields.problem(at + "/type", e.getMessage());
                }
            }
            Optional<String> zone = timeZone(column, at, type);
            if (name != null && type != null) {
                columns.add(new Column(name, type, nullable, zone));
            }
        }
        return columns;
    }

    private Optional<String> timeZone(JsonNode column, String at, ColumnType type) {
        String zone = fields.string(column, at, "timeZone", false);
        if (zone == null || type == null) {
            return Optional.empty();
        }
        if (!type.name().equals("timestamp")) {
            fields.problemAtKey(at + "/timeZone", "only a timestamp column has a time zone; remove it, or declare "
                    + "\"type\": \"timestamp\"");
            return Optional.empty();
        }
        return fields.zoneId(zone, at + "/timeZone").map(z -> zone);
    }
}
