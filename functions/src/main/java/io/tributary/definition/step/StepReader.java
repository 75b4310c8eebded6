package io.tributary.definition.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.column.ColumnType;
import io.tributary.definition.read.BlobReference;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code "steps"}, following the column names from step to step, so that a name a step uses
 * but that does not exist at that point is reported where it is written, before any data moves.
 */
public final class StepReader {

    private final Fields fields;
    private int lookups;

    /** A reader that reports its problems to {@code fields}. */
    public StepReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The steps, given the source's column names.
     *
     * @param columns the names available to the first step
     */
    public List<Step> steps(JsonNode node, List<String> columns) {
        List<Step> steps = new ArrayList<>();
        if (node == null) {
            return steps;
        }
        if (!node.isArray()) {
            fields.problem("/steps", "expected an array of steps, found " + Fields.describe(node));
            return steps;
        }
        // null once a step's output is only known to the engine (after a sql step): names are not checked here then.
        List<String> available = columns;
        for (int i = 0; i < node.size(); i++) {
            String at = "/steps/" + i;
            Step step = step(node.get(i), at, available);
            if (step != null) {
                steps.add(step);
                available = available == null ? null : step.outputColumns(available).orElse(null);
            }
        }
        return steps;
    }

    private Step step(JsonNode node, String at, List<String> available) {
        if (!node.isObject()) {
            fields.problem(at, "expected a step object such as {\"op\": \"filter\", \"where\": \"amount > 0\"}, found "
                    + Fields.describe(node));
            return null;
        }
        if (!node.has("op") && node.has("type")) {
            fields.problemAtKey(at + "/type", "a step names what it does with \"op\", not \"type\": write \"op\": "
                    + node.get("type"));
            return null;
        }
        String op = fields.string(node, at, "op", true);
        if (op == null) {
            return null;
        }
        return switch (op) {
            case "select" -> fields.object(node, at, Set.of("op", "columns"))
                    ? new SelectStep(distinct(names(node, at, available, true), at)) : null;
            case "drop" -> fields.object(node, at, Set.of("op", "columns"))
                    ? new DropStep(names(node, at, available, true)) : null;
            case "rename" -> rename(node, at, available);
            case "cast" -> cast(node, at, available);
            case "filter" -> filter(node, at);
            case "derive" -> derive(node, at, available);
            case "fillNull" -> fillNull(node, at, available);
            case "dedupe" -> dedupe(node, at, available);
            case "aggregate" -> aggregate(node, at, available);
            case "lookup" -> lookup(node, at, available);
            case "flatten" -> flatten(node, at, available);
            case "sql" -> sql(node, at);
            default -> {
                fields.problem(at + "/op", "unknown op '" + op + "'" + Suggestions.didYouMean(op, Step.OPS)
                        + "; allowed: " + String.join(", ", Step.OPS));
                yield null;
            }
        };
    }

    /** {@code "columns": ["a", "b"]}, each of which must exist. */
    private List<String> names(JsonNode step, String at, List<String> available, boolean required) {
        JsonNode columns = step.get("columns");
        List<String> names = new ArrayList<>();
        if (columns == null || !columns.isArray() || columns.isEmpty()) {
            if (required) {
                fields.problem(columns == null ? at : at + "/columns", columns == null
                        ? "missing required field 'columns' (a list of column names)"
                        : "expected a non-empty array of column names, found " + Fields.describe(columns));
            }
            return names;
        }
        for (int j = 0; j < columns.size(); j++) {
            JsonNode column = columns.get(j);
            if (!column.isTextual()) {
                fields.problem(at + "/columns/" + j, "expected a column name, found " + Fields.describe(column));
                continue;
            }
            requireColumn(column.asText(), at + "/columns/" + j, available, false);
            names.add(column.asText());
        }
        return names;
    }

    /** The names, reporting one that repeats (case-insensitively). */
    private List<String> distinct(List<String> names, String at) {
        Set<String> seen = new java.util.HashSet<>();
        for (int j = 0; j < names.size(); j++) {
            if (!seen.add(names.get(j).toLowerCase(java.util.Locale.ROOT))) {
                fields.problem(at + "/columns/" + j, "column '" + names.get(j) + "' is selected twice");
            }
        }
        return names;
    }

    /** {@code "columns": {"name": value, …}}, a non-empty object; returns its entries. */
    private Map<String, JsonNode> mapping(JsonNode step, String at, String example) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        JsonNode columns = step.get("columns");
        if (columns == null || !columns.isObject() || columns.isEmpty()) {
            fields.problem(columns == null ? at : at + "/columns", (columns == null ? "missing required field "
                    + "'columns'" : "expected a non-empty object, found " + Fields.describe(columns))
                    + "; write it as " + example);
            return entries;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            entries.put(entry.getKey(), entry.getValue());
        }
        return entries;
    }

    private Step rename(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "columns"))) {
            return null;
        }
        Map<String, String> renames = new LinkedHashMap<>();
        mapping(step, at, "{\"old_name\": \"new_name\"}").forEach((from, to) -> {
            String pointer = at + "/columns/" + LocatedJson.escape(from);
            requireColumn(from, pointer, available, true);
            if (!to.isTextual() || to.asText().isBlank()) {
                fields.problem(pointer, "expected the new column name, found " + Fields.describe(to));
            } else {
                renames.put(from, to.asText());
            }
        });
        if (available != null) {
            List<String> after = available.stream().map(c -> renames.getOrDefault(c, c))
                    .map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();
            after.stream().filter(c -> after.indexOf(c) != after.lastIndexOf(c)).distinct().forEach(c ->
                    fields.problem(at + "/columns", "after this rename two columns are named '" + c
                            + "' (names are case-insensitive)"));
        }
        return renames.isEmpty() ? null : new RenameStep(renames);
    }

    private Step cast(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "columns"))) {
            return null;
        }
        Map<String, ColumnType> casts = new LinkedHashMap<>();
        mapping(step, at, "{\"column\": \"long\"}").forEach((column, type) -> {
            String pointer = at + "/columns/" + LocatedJson.escape(column);
            requireColumn(column, pointer, available, true);
            if (!type.isTextual()) {
                fields.problem(pointer, "expected a type such as \"long\", found " + Fields.describe(type));
                return;
            }
            try {
                casts.put(column, ColumnType.parse(type.asText()));
            } catch (IllegalArgumentException e) {
                fields.problem(pointer, e.getMessage());
            }
        });
        return casts.isEmpty() ? null : new CastStep(casts);
    }

    private Step filter(JsonNode step, String at) {
        if (!fields.object(step, at, Set.of("op", "where"))) {
            return null;
        }
        String where = fields.string(step, at, "where", true);
        if (where != null && where.isBlank()) {
            fields.problem(at + "/where", "the filter expression is empty; write a SQL condition such as \"amount > 0\"");
            return null;
        }
        return where == null ? null : new FilterStep(where);
    }

    private Step derive(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "columns"))) {
            return null;
        }
        Map<String, String> derived = new LinkedHashMap<>();
        mapping(step, at, "{\"new_column\": \"amount * 1.19\"}").forEach((column, expression) -> {
            String pointer = at + "/columns/" + LocatedJson.escape(column);
            if (available != null && available.stream().anyMatch(c -> c.equalsIgnoreCase(column))) {
                fields.problemAtKey(pointer, "column '" + column + "' already exists at this step (names are "
                        + "case-insensitive); derive a new name (or drop or cast the existing column)");
            } else if (!expression.isTextual() || expression.asText().isBlank()) {
                fields.problem(pointer, "expected a SQL expression such as \"amount * 1.19\", found "
                        + Fields.describe(expression));
            } else {
                derived.put(column, expression.asText());
            }
        });
        return derived.isEmpty() ? null : new DeriveStep(derived);
    }

    private Step fillNull(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "columns"))) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        mapping(step, at, "{\"column\": 0}").forEach((column, value) -> {
            String pointer = at + "/columns/" + LocatedJson.escape(column);
            requireColumn(column, pointer, available, true);
            if (value.isTextual()) {
                values.put(column, value.asText());
            } else if (value.isNumber()) {
                values.put(column, value.numberValue());
            } else if (value.isBoolean()) {
                values.put(column, value.asBoolean());
            } else {
                fields.problem(pointer, "expected a string, number or boolean to fill in, found " + Fields.describe(value));
            }
        });
        return values.isEmpty() ? null : new FillNullStep(values);
    }

    private Step dedupe(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "keys", "orderBy", "keep"))) {
            return null;
        }
        List<String> keys = list(step, at, "keys", available,
                "the columns that identify a row, e.g. [\"order_id\"]");
        List<String> orderBy = list(step, at, "orderBy", available,
                "the columns that decide which row of a key is first, e.g. [\"updated_at\"]");
        String keep = fields.string(step, at, "keep", false);
        if (keep != null && !DedupeStep.KEEP.contains(keep)) {
            fields.problem(at + "/keep", "keep is \"first\" or \"last\", not '" + keep + "'");
            return null;
        }
        return keys == null || orderBy == null ? null : new DedupeStep(keys, orderBy, keep == null ? "first" : keep);
    }

    private Step aggregate(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "groupBy", "measures"))) {
            return null;
        }
        List<String> groupBy = new ArrayList<>();
        if (step.has("groupBy")) {
            groupBy = list(step, at, "groupBy", available, "the columns to group by, e.g. [\"customer_id\"]");
            if (groupBy == null) {
                return null;
            }
        }
        Map<String, AggregateStep.Measure> measures = new LinkedHashMap<>();
        JsonNode node = step.get("measures");
        if (node == null || !node.isObject() || node.isEmpty()) {
            fields.problem(node == null ? at : at + "/measures", "aggregate needs \"measures\", e.g. {\"total\": "
                    + "{\"sum\": \"amount\"}, \"orders\": {\"count\": \"*\"}}");
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> measure = it.next();
            String pointer = at + "/measures/" + LocatedJson.escape(measure.getKey());
            JsonNode spec = measure.getValue();
            if (!spec.isObject() || spec.size() != 1) {
                fields.problem(pointer, "expected one function of one column, e.g. {\"sum\": \"amount\"}");
                continue;
            }
            String function = spec.fieldNames().next();
            JsonNode column = spec.get(function);
            if (!AggregateStep.FUNCTIONS.contains(function)) {
                fields.problemAtKey(pointer + "/" + LocatedJson.escape(function), "unknown function '" + function + "'"
                        + Suggestions.didYouMean(function, AggregateStep.FUNCTIONS) + "; allowed: "
                        + String.join(", ", AggregateStep.FUNCTIONS));
                continue;
            }
            if (!column.isTextual() || (column.asText().equals("*") && !function.equals("count"))) {
                fields.problem(pointer + "/" + function, "expected a column name"
                        + (function.equals("count") ? " or \"*\"" : "") + ", found " + Fields.describe(column));
                continue;
            }
            if (!column.asText().equals("*")) {
                requireColumn(column.asText(), pointer + "/" + function, available, false);
            }
            measures.put(measure.getKey(), new AggregateStep.Measure(function, column.asText()));
        }
        return measures.isEmpty() ? null : new AggregateStep(groupBy, measures);
    }

    private Step lookup(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "from", "on", "columns"))) {
            return null;
        }
        String from = fields.string(step, at, "from", true);
        if (from != null && !BlobReference.PATTERN.matcher(from).matches()) {
            fields.problem(at + "/from", BlobReference.refusal(from));
            from = null;
        } else if (from != null && LookupStep.format(from).isEmpty()) {
            fields.problem(at + "/from", "cannot tell the format of '" + from + "' from its name; a reference ends in "
                    + String.join(", ", LookupStep.FORMATS.keySet()) + " (CSV with a header line)");
            from = null;
        }
        Map<String, String> on = lookupKeys(step, at, available);
        Map<String, ColumnType> added = new LinkedHashMap<>();
        mapping(step, at, "{\"site\": \"string\"}: the reference's columns to add, with their types")
                .forEach((column, type) -> {
                    String pointer = at + "/columns/" + LocatedJson.escape(column);
                    if (available != null && available.stream().anyMatch(c -> c.equalsIgnoreCase(column))) {
                        fields.problemAtKey(pointer, "column '" + column + "' already exists at this step (names are "
                                + "case-insensitive); drop or rename it before the lookup");
                    } else if (on.containsValue(column)) {
                        fields.problemAtKey(pointer, "'" + column + "' is the reference's key, which the rows already "
                                + "hold as '" + on.entrySet().stream().filter(e -> e.getValue().equals(column)).findFirst()
                                .orElseThrow().getKey() + "'; add other columns of the reference");
                    } else if (!type.isTextual()) {
                        fields.problem(pointer, "expected the column's type, such as \"string\", found "
                                + Fields.describe(type));
                    } else {
                        try {
                            added.put(column, ColumnType.parse(type.asText()));
                        } catch (IllegalArgumentException e) {
                            fields.problem(pointer, e.getMessage());
                        }
                    }
                });
        if (from == null || on.isEmpty() || added.isEmpty()) {
            return null;
        }
        return new LookupStep(from, on, added, "lookup_" + lookups++);
    }

    private Step flatten(JsonNode step, String at, List<String> available) {
        if (!fields.object(step, at, Set.of("op", "column", "fields", "prefix", "keep"))) {
            return null;
        }
        String column = fields.string(step, at, "column", true);
        if (column != null) {
            requireColumn(column, at + "/column", available, false);
        }
        String prefix = fields.string(step, at, "prefix", false);
        boolean keep = fields.bool(step, at, "keep", false);
        if (column == null) {
            return null;
        }
        String start = prefix == null ? FlattenStep.defaultPrefix(column) : prefix;
        Map<String, ColumnType> paths = new LinkedHashMap<>();
        JsonNode node = step.get("fields");
        if (node == null || !node.isObject() || node.isEmpty()) {
            fields.problem(node == null ? at : at + "/fields", "flatten needs \"fields\": the fields to take out, with "
                    + "their types, e.g. {\"city\": \"string\", \"geo.lat\": \"double\"}");
            return null;
        }
        List<String> names = new ArrayList<>(available == null ? List.of() : available);
        if (!keep) {
            names.remove(column);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String pointer = at + "/fields/" + LocatedJson.escape(field.getKey());
            String name = start + field.getKey().replace('.', '_');
            if (field.getKey().isEmpty() || Arrays.asList(field.getKey().split("\\.", -1)).contains("")) {
                fields.problemAtKey(pointer, "'" + field.getKey() + "' is not a field path: write names joined by '.', "
                        + "e.g. \"geo.lat\"");
            } else if (available != null && names.stream().anyMatch(c -> c.equalsIgnoreCase(name))) {
                fields.problemAtKey(pointer, "this field becomes column '" + name + "', which already exists at this "
                        + "step (names are case-insensitive); choose another \"prefix\"");
            } else if (!field.getValue().isTextual()) {
                fields.problem(pointer, "expected the field's type, such as \"string\", found "
                        + Fields.describe(field.getValue()));
            } else {
                try {
                    paths.put(field.getKey(), ColumnType.parse(field.getValue().asText()));
                    names.add(name);
                } catch (IllegalArgumentException e) {
                    fields.problem(pointer, e.getMessage());
                }
            }
        }
        return paths.isEmpty() ? null : new FlattenStep(column, paths, start, keep);
    }

    /** {@code "on": ["key"]} (the same name on both sides) or {@code {"row_column": "reference_column"}}. */
    private Map<String, String> lookupKeys(JsonNode step, String at, List<String> available) {
        Map<String, String> on = new LinkedHashMap<>();
        JsonNode node = step.get("on");
        String example = "write the key columns, e.g. \"on\": [\"device_id\"], or {\"device\": \"device_id\"} when the "
                + "reference names its key otherwise";
        if (node == null || node.isEmpty() || !(node.isArray() || node.isObject())) {
            fields.problem(node == null ? at : at + "/on", "lookup needs \"on\": " + example);
            return on;
        }
        if (node.isArray()) {
            for (int j = 0; j < node.size(); j++) {
                if (!node.get(j).isTextual()) {
                    fields.problem(at + "/on/" + j, "expected a column name, found " + Fields.describe(node.get(j)));
                    continue;
                }
                requireColumn(node.get(j).asText(), at + "/on/" + j, available, false);
                on.put(node.get(j).asText(), node.get(j).asText());
            }
            return on;
        }
        node.fields().forEachRemaining(e -> {
            String pointer = at + "/on/" + LocatedJson.escape(e.getKey());
            requireColumn(e.getKey(), pointer, available, true);
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                fields.problem(pointer, "expected the reference's key column, found " + Fields.describe(e.getValue()));
            } else {
                on.put(e.getKey(), e.getValue().asText());
            }
        });
        return on;
    }

    /** {@code "field": ["a", …]}, a required non-empty list of columns that exist. */
    private List<String> list(JsonNode step, String at, String field, List<String> available, String what) {
        JsonNode node = step.get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            fields.problem(node == null ? at : at + "/" + field, step.path("op").asText() + " needs \"" + field
                    + "\": " + what);
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < node.size(); j++) {
            if (!node.get(j).isTextual()) {
                fields.problem(at + "/" + field + "/" + j, "expected a column name, found " + Fields.describe(node.get(j)));
                return null;
            }
            requireColumn(node.get(j).asText(), at + "/" + field + "/" + j, available, false);
            names.add(node.get(j).asText());
        }
        return names;
    }

    private Step sql(JsonNode step, String at) {
        if (!fields.object(step, at, Set.of("op", "query"))) {
            return null;
        }
        String query = fields.string(step, at, "query", true);
        if (query != null && query.isBlank()) {
            fields.problem(at + "/query", "the query is empty; write a SELECT that reads FROM input");
            return null;
        }
        return query == null ? null : new SqlStep(query);
    }

    private void requireColumn(String name, String pointer, List<String> available, boolean atKey) {
        if (available == null || available.contains(name)) {
            return;
        }
        String message = "no column '" + name + "' at this step" + Suggestions.didYouMean(name, available)
                + "; available: " + String.join(", ", available);
        if (atKey) {
            fields.problemAtKey(pointer, message);
        } else {
            fields.problem(pointer, message);
        }
    }
}
