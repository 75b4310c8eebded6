package io.tributary.definition.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code "output.table"}: the Delta Lake table the runs commit to, its mode, keys and upkeep. */
public final class TableReader {

    private static final String AT = "/output/table";
    private static final int MAX_CHECKPOINT_INTERVAL = 10_000;

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public TableReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The table {@code node} describes; empty when absent or, after its problems, unreadable.
     *
     * @param finalColumns the column names after the last step, or null when only the engine can tell
     */
    public Optional<TableOutput> table(JsonNode node, List<String> finalColumns) {
        if (node == null || !fields.object(node, AT, Set.of("mode", "keys", "orderBy", "deleteWhen",
                "checkpointInterval", "retention"))) {
            return Optional.empty();
        }
        String modeText = fields.string(node, AT, "mode", false);
        Optional<TableOutput.Mode> mode = modeText == null ? Optional.of(TableOutput.Mode.APPEND)
                : TableOutput.Mode.of(modeText);
        if (mode.isEmpty()) {
            fields.problem(AT + "/mode", "unknown table mode '" + modeText + "'"
                    + Suggestions.didYouMean(modeText, TableOutput.Mode.texts()) + "; allowed: "
                    + String.join(", ", TableOutput.Mode.texts()));
            return Optional.empty();
        }
        boolean merge = mode.get() == TableOutput.Mode.MERGE;
        List<String> keys = List.of();
        String orderBy = null;
        String deleteWhen = null;
        if (merge) {
            keys = keys(node.get("keys"), finalColumns);
            orderBy = column(node, "orderBy", finalColumns, "the column whose greatest value makes a key's row the "
                    + "newest, e.g. \"updated_at\"");
            deleteWhen = fields.string(node, AT, "deleteWhen", false);
            if (deleteWhen != null && deleteWhen.isBlank()) {
                fields.problem(AT + "/deleteWhen", "the delete condition is empty; write a SQL condition on an "
                        + "incoming row such as \"is_deleted\", or remove \"deleteWhen\"");
                deleteWhen = null;
            }
        } else {
            for (String field : List.of("keys", "orderBy", "deleteWhen")) {
                if (node.has(field)) {
                    fields.problemAtKey(AT + "/" + field, "\"" + field + "\" belongs to a merge; a table in "
                            + mode.get().text() + " mode takes every row of a run as it is (set \"mode\": \"merge\" "
                            + "to upsert by key, or remove \"" + field + "\")");
                }
            }
        }
        int interval = checkpointInterval(node.get("checkpointInterval"));
        Duration retention = retention(fields.string(node, AT, "retention", false));
        if (merge && (keys.isEmpty() || orderBy == null)) {
            return Optional.empty();
        }
        return Optional.of(new TableOutput(mode.get(), keys, orderBy, deleteWhen, interval, retention));
    }

    private List<String> keys(JsonNode node, List<String> finalColumns) {
        List<String> keys = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            fields.problem(node == null ? AT : AT + "/keys", "a merge needs \"keys\": the columns that identify a "
                    + "row, e.g. [\"id\"]" + (node == null ? "" : ", found " + Fields.describe(node)));
            return keys;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode key = node.get(i);
            String at = AT + "/keys/" + i;
            if (!key.isTextual()) {
                fields.problem(at, "expected a column name, found " + Fields.describe(key));
            } else if (finalColumns != null && !finalColumns.contains(key.asText())) {
                fields.problem(at, "no column '" + key.asText() + "' after the last step"
                        + Suggestions.didYouMean(key.asText(), finalColumns) + "; available: "
                        + String.join(", ", finalColumns));
            } else if (keys.contains(key.asText())) {
                fields.problem(at, "column '" + key.asText() + "' is named twice");
            } else {
                keys.add(key.asText());
            }
        }
        return keys;
    }

    private String column(JsonNode node, String field, List<String> finalColumns, String what) {
        String column = fields.string(node, AT, field, false);
        if (column == null) {
            fields.problem(AT, "a merge needs \"" + field + "\": " + what);
        } else if (finalColumns != null && !finalColumns.contains(column)) {
            fields.problem(AT + "/" + field, "no column '" + column + "' after the last step"
                    + Suggestions.didYouMean(column, finalColumns) + "; available: " + String.join(", ", finalColumns));
            return null;
        }
        return column;
    }

    private int checkpointInterval(JsonNode node) {
        if (node == null) {
            return TableOutput.DEFAULT_CHECKPOINT_INTERVAL;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1
                || node.asInt() > MAX_CHECKPOINT_INTERVAL) {
            fields.problem(AT + "/checkpointInterval", "expected every how many versions a checkpoint is written, a "
                    + "whole number from 1 to " + MAX_CHECKPOINT_INTERVAL + " (default "
                    + TableOutput.DEFAULT_CHECKPOINT_INTERVAL + "), found " + Fields.describe(node));
            return TableOutput.DEFAULT_CHECKPOINT_INTERVAL;
        }
        return node.asInt();
    }

    private Duration retention(String text) {
        if (text == null) {
            return TableOutput.DEFAULT_RETENTION;
        }
        Optional<Duration> parsed = RetentionText.parse(text);
        if (parsed.isEmpty()) {
            fields.problem(AT + "/retention", "'" + text + "' is not a duration; write " + RetentionText.FORM);
            return TableOutput.DEFAULT_RETENTION;
        }
        Duration retention = parsed.get();
        if (retention.compareTo(RetentionText.MINIMUM) < 0) {
            fields.problem(AT + "/retention", "a retention of " + text + " could delete a file a reader is still "
                    + "reading; give at least 1h (the default is 7d)");
            return TableOutput.DEFAULT_RETENTION;
        }
        return retention;
    }
}
