package io.tributary.definition.expectation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.sql.SqlText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code "expectations"}, checking that the columns they look at exist after the last step. */
public final class ExpectationReader {

    private static final Set<String> FIELDS =
            Set.of("expect", "name", "column", "columns", "min", "max", "values", "pattern", "expr", "onFailure");

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public ExpectationReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * @param available the column names after the last step, or null when only the engine can tell
     */
    public List<Expectation> expectations(JsonNode node, List<String> available) {
        List<Expectation> expectations = new ArrayList<>();
        if (node == null) {
            return expectations;
        }
        if (!node.isArray()) {
            fields.problem("/expectations", "expected an array of expectations, found " + Fields.describe(node));
            return expectations;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/expectations/" + i;
            Expectation expectation = expectation(node.get(i), at, available);
            if (expectation != null) {
                if (!names.add(expectation.name())) {
                    fields.problem(at, "another expectation is named '" + expectation.name() + "'; give this one a "
                            + "\"name\" of its own");
                }
                expectations.add(expectation);
            }
        }
        return expectations;
    }

    private Expectation expectation(JsonNode node, String at, List<String> available) {
        if (!fields.object(node, at, FIELDS)) {
            return null;
        }
        String expect = fields.string(node, at, "expect", true);
        if (expect == null) {
            return null;
        }
        if (!Expectation.KINDS.contains(expect)) {
            fields.problem(at + "/expect", "unknown expectation '" + expect + "'"
                    + Suggestions.didYouMean(expect, Expectation.KINDS) + "; allowed: "
                    + String.join(", ", Expectation.KINDS));
            return null;
        }
        String onFailure = fields.string(node, at, "onFailure", false);
        if (onFailure == null) {
            onFailure = "fail";
        } else if (!Expectation.ACTIONS.contains(onFailure)) {
            fields.problem(at + "/onFailure", "unknown action '" + onFailure + "'"
                    + Suggestions.didYouMean(onFailure, Expectation.ACTIONS) + "; allowed: fail, drop, warn");
            return null;
        }
        boolean setLevel = expect.equals("unique") || expect.equals("rowCount");
        if (setLevel && onFailure.equals("drop")) {
            fields.problem(at + "/onFailure", "'" + expect + "' judges the rows as a whole, so it can fail or warn "
                    + "but not drop rows" + (expect.equals("unique") ? " (a sql step with QUALIFY keeps one row per key)" : ""));
            return null;
        }
        List<String> columns = columns(node, at, expect, available);
        if (columns == null) {
            return null;
        }
        String column = columns.isEmpty() ? null : SqlText.identifier(columns.get(0));
        String condition;
        String expr = null;
        String pattern = null;
        Long min = null;
        Long max = null;
        switch (expect) {
            case "notNull" -> condition = column + " IS NOT NULL";
            case "between" -> {
                JsonNode low = node.get("min");
                JsonNode high = node.get("max");
                if (low == null && high == null) {
                    fields.problem(at, "'between' needs \"min\", \"max\" or both");
                    return null;
                }
                List<String> bounds = new ArrayList<>();
                if (low != null) {
                    bounds.add(column + " >= " + literal(low, at + "/min"));
                }
                if (high != null) {
                    bounds.add(column + " <= " + literal(high, at + "/max"));
                }
                condition = column + " IS NULL OR (" + String.join(" AND ", bounds) + ")";
            }
            case "inSet" -> {
                JsonNode values = node.get("values");
                if (values == null || !values.isArray() || values.isEmpty()) {
                    fields.problem(values == null ? at : at + "/values", "'inSet' needs \"values\": a non-empty list");
                    return null;
                }
                List<String> literals = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    literals.add(literal(values.get(i), at + "/values/" + i));
                }
                condition = column + " IS NULL OR " + column + " IN (" + String.join(", ", literals) + ")";
            }
            case "matches" -> {
                pattern = fields.string(node, at, "pattern", true);
                if (pattern == null) {
                    return null;
                }
                condition = column + " IS NULL OR regexp_full_match(CAST(" + column + " AS VARCHAR), "
                        + SqlText.literal(pattern) + ")";
            }
            case "expr" -> {
                expr = fields.string(node, at, "expr", true);
                if (expr != null && expr.isBlank()) {
                    fields.problem(at + "/expr", "the expression is empty; write a SQL condition such as \"items > 0\"");
                }
                if (expr == null || expr.isBlank()) {
                    return null;
                }
                condition = "coalesce((" + expr + "), false)";
            }
            case "rowCount" -> {
                min = whole(node, at, "min");
                max = whole(node, at, "max");
                if (min == null && max == null) {
                    fields.problem(at, "'rowCount' needs \"min\", \"max\" or both");
                    return null;
                }
                condition = null;
            }
            default -> condition = null;
        }
        String name = fields.string(node, at, "name", false);
        if (name == null) {
            name = expect + (columns.isEmpty() ? "" : "(" + String.join(", ", columns) + ")");
        }
        return new Expectation(name, expect, columns, condition, expr, pattern, min, max, onFailure);
    }

    /** The columns it names: one for row kinds, one or more for unique, none for expr and rowCount. */
    private List<String> columns(JsonNode node, String at, String expect, List<String> available) {
        List<String> columns = new ArrayList<>();
        if (expect.equals("expr") || expect.equals("rowCount")) {
            return columns;
        }
        JsonNode one = node.get("column");
        JsonNode many = node.get("columns");
        if (one != null && (!one.isTextual() || one.asText().isBlank())) {
            fields.problem(at + "/column", "expected a column name, found " + Fields.describe(one));
            return null;
        }
        if (one != null) {
            columns.add(one.asText());
        } else if (expect.equals("unique") && many != null && many.isArray() && !many.isEmpty()) {
            many.forEach(c -> columns.add(c.asText()));
        } else {
            fields.problem(at, "'" + expect + "' needs \"column\"" + (expect.equals("unique")
                    ? " (or \"columns\" for a key of several)" : "") + ": the column it looks at");
            return null;
        }
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (available != null && !available.contains(column)) {
                fields.problem(at + (one != null ? "/column" : "/columns/" + i), "no column '" + column
                        + "' after the last step" + Suggestions.didYouMean(column, available) + "; available: "
                        + String.join(", ", available));
                return null;
            }
        }
        return columns;
    }

    private String literal(JsonNode value, String at) {
        if (value.isNumber()) {
            return value.asText();
        }
        if (value.isTextual()) {
            return SqlText.literal(value.asText());
        }
        if (value.isBoolean()) {
            return String.valueOf(value.asBoolean());
        }
        fields.problem(at, "expected a number, string or boolean, found " + Fields.describe(value));
        return "NULL";
    }

    private Long whole(JsonNode node, String at, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            fields.problem(at + "/" + field, "expected a whole number of rows, found " + Fields.describe(value));
            return null;
        }
        return value.asLong();
    }
}
