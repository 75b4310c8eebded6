package io.tributary.definition.column;

import io.tributary.definition.read.Suggestions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A declared column type, as written in a definition ({@code long}, {@code decimal(12,2)}, …).
 *
 * @param name      the base type name, one of {@link #NAMES}
 * @param precision total digits for {@code decimal}, else 0
 * @param scale     digits after the point for {@code decimal}, else 0
 */
public record ColumnType(String name, int precision, int scale) {

    public static final List<String> NAMES =
            List.of("string", "int", "long", "double", "decimal", "boolean", "date", "timestamp", "json");

    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    public ColumnType {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown column type '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
    }

    /**
     * Parses a type as written in a definition.
     *
     * @throws IllegalArgumentException naming the allowed types when {@code text} is not one
     */
    public static ColumnType parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(t);
        if (decimal.matches()) {
            int precision = decimal.group(1).length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(decimal.group(1));
            int scale = decimal.group(2).length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                throw new IllegalArgumentException("decimal(" + decimal.group(1) + "," + decimal.group(2)
                        + ") is out of range: precision must be 1..38 and scale at most the precision");
            }
            return new ColumnType("decimal", precision, scale);
        }
        if (t.equals("decimal")) {
            throw new IllegalArgumentException("decimal needs a precision and scale, e.g. \"decimal(12,2)\"");
        }
        if (!NAMES.contains(t)) {
            throw new IllegalArgumentException("unknown column type '" + text + "'"
                    + Suggestions.didYouMean(t, NAMES) + "; allowed: string, int, long, double, "
                    + "decimal(p,s), boolean, date, timestamp, json");
        }
        return new ColumnType(t, 0, 0);
    }

    /** The DuckDB SQL type this column is parsed as. */
    public String sqlType() {
        return switch (name) {
            case "string" -> "VARCHAR";
            case "int" -> "INTEGER";
            case "long" -> "BIGINT";
            case "double" -> "DOUBLE";
            case "decimal" -> "DECIMAL(" + precision + "," + scale + ")";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            case "json" -> "JSON";
            default -> throw new IllegalStateException(name);
        };
    }

    @Override
    public String toString() {
        return name.equals("decimal") ? "decimal(" + precision + "," + scale + ")" : name;
    }
}
