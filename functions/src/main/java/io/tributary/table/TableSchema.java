package io.tributary.table;

import io.tributary.run.OutputColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's columns as Delta Lake's {@code schemaString}, from the SQL types the engine writes. A type Delta has no
 * exact match for is refused, never written as a near one.
 */
public final class TableSchema {

    /** The table feature a {@code timestamp_ntz} column needs (reader version 3, writer version 7). */
    public static final String TIMESTAMP_NTZ = "timestampNtz";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("BIGINT", "long"), Map.entry("INTEGER", "integer"), Map.entry("SMALLINT", "short"),
            Map.entry("TINYINT", "byte"), Map.entry("DOUBLE", "double"), Map.entry("FLOAT", "float"),
            Map.entry("BOOLEAN", "boolean"), Map.entry("VARCHAR", "string"), Map.entry("DATE", "date"),
            Map.entry("TIMESTAMP WITH TIME ZONE", "timestamp"), Map.entry("TIMESTAMP", "timestamp_ntz"),
            Map.entry("BLOB", "binary"));
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    private final List<OutputColumn> columns;
    private final List<String> partitionColumns;

    /**
     * @param partitionColumns the columns that are partition folders only ({@code split}), added as strings after
     *                         {@code columns}
     */
    public TableSchema(List<OutputColumn> columns, List<String> partitionColumns) {
        this.columns = List.copyOf(columns);
        this.partitionColumns = List.copyOf(partitionColumns);
    }

    /**
     * The Delta type of SQL type {@code sqlType}.
     *
     * @throws IllegalArgumentException when Delta has no type that holds its values exactly, saying what to do
     */
    public static String deltaType(String column, String sqlType) {
        String type = sqlType.toUpperCase(Locale.ROOT).strip();
        String delta = TYPES.get(type);
        if (delta != null) {
            return delta;
        }
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches() && Integer.parseInt(decimal.group(1)) <= 38) {
            return "decimal(" + decimal.group(1) + "," + decimal.group(2) + ")";
        }
        throw new IllegalArgumentException("column '" + column + "' has type " + sqlType + ", which a Delta table "
                + "cannot hold exactly (it holds BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, FLOAT, BOOLEAN, VARCHAR, "
                + "DECIMAL up to 38 digits, DATE, TIMESTAMP, TIMESTAMP WITH TIME ZONE and BLOB); cast it in a step, "
                + "e.g. CAST(" + column + " AS DECIMAL(20,0)) for an unsigned 64-bit number");
    }

    /** The schema as Delta's {@code schemaString}. */
    public String schemaString() {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (OutputColumn c : columns) {
            fields.add(field(c.name(), deltaType(c.name(), c.type())));
        }
        for (String p : partitionColumns) {
            fields.add(field(p, "string"));
        }
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("type", "struct");
        struct.put("fields", fields);
        return LogJson.text(struct);
    }

    /** Whether a column needs the {@value #TIMESTAMP_NTZ} feature. */
    public boolean needsTimestampNtz() {
        return columns.stream().anyMatch(c -> deltaType(c.name(), c.type()).equals("timestamp_ntz"));
    }

    /** The protocol a table of this schema needs. */
    public Action.Protocol protocol() {
        return needsTimestampNtz()
                ? new Action.Protocol(3, 7, List.of(TIMESTAMP_NTZ), List.of(TIMESTAMP_NTZ))
                : new Action.Protocol(1, 2, null, null);
    }

    /** The columns named in a {@code schemaString}, with their Delta types, in order. */
    public static Map<String, String> columnsOf(String schemaString) {
        Map<String, String> columns = new LinkedHashMap<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode f : LogJson.MAPPER.readTree(schemaString).path("fields")) {
                columns.put(f.path("name").asText(), f.path("type").isTextual() ? f.path("type").asText()
                        : f.path("type").toString());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the table's schemaString is not JSON: " + e.getOriginalMessage(), e);
        }
        return columns;
    }

    private static Map<String, Object> field(String name, String type) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", name);
        field.put("type", type);
        field.put("nullable", true);
        field.put("metadata", Map.of());
        return field;
    }

    /** The SQL types of the columns a table of this schema has for {@code name}, if any. */
    public Optional<OutputColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
