package io.tributary.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the text of one definition file into a {@link PipelineDefinition}, collecting every problem
 * (with file, line, column and JSON pointer) instead of stopping at the first.
 */
public final class DefinitionReader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern BLOB_REFERENCE = Pattern.compile("(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/].*[^/]|"
            + "(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/]");
    private static final Set<String> TOP =
            Set.of("$schema", "schemaVersion", "name", "description", "trigger", "schedule", "source", "columns",
                    "steps", "output");
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final String file;
    private final String text;
    private final LocatedJson json;
    private final List<Problem> problems = new ArrayList<>();

    private DefinitionReader(String file, String text, LocatedJson json) {
        this.file = file;
        this.text = text;
        this.json = json;
    }

    /**
     * Reads a definition.
     *
     * @param file         how to name the file in problems
     * @param text         its content
     * @param expectedName the name the definition must have (its file name without {@code .json}), or null
     */
    public static DefinitionResult read(String file, String text, String expectedName) {
        LocatedJson json;
        try {
            json = LocatedJson.parse(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String message = e.getOriginalMessage().replaceAll("\\s+", " ").trim();
            return DefinitionResult.failed(List.of(new Problem(file,
                    location == null ? 1 : location.getLineNr(), location == null ? 1 : location.getColumnNr(), "",
                    "malformed JSON: " + message)));
        } catch (IOException e) {
            return DefinitionResult.failed(List.of(new Problem(file, 1, 1, "", "cannot read: " + e.getMessage())));
        }
        DefinitionReader reader = new DefinitionReader(file, text, json);
        PipelineDefinition definition = reader.definition(expectedName, hash(json.root()));
        return reader.problems.isEmpty()
                ? DefinitionResult.ok(definition)
                : DefinitionResult.failed(List.copyOf(reader.problems));
    }

    private PipelineDefinition definition(String expectedName, String hash) {
        JsonNode root = json.root();
        if (!object(root, "", TOP)) {
            return null;
        }
        requireSchemaVersion(root);
        String name = string(root, "", "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            problem("/name", "'" + name + "' is not a valid pipeline name: use 1-63 lower-case letters, digits and "
                    + "'-', starting with a letter or digit (it becomes a blob folder and part of run ids)");
        } else if (name != null && expectedName != null && !name.equals(expectedName)) {
            problem("/name", "the name '" + name + "' differs from the file name '" + expectedName
                    + ".json'; rename one so they match");
        }
        String description = string(root, "", "description", false);
        Optional<FileDropTrigger> fileDrop = trigger(root.get("trigger"));
        Optional<ScheduleTrigger> schedule = schedule(root.get("schedule"));
        Optional<String> sourceBlob = Optional.empty();
        CsvFormat csv = CsvFormat.DEFAULT;
        JsonNode source = root.get("source");
        if (source == null) {
            problem("", "missing required field 'source' (e.g. \"source\": {\"format\": \"csv\"})");
        } else if (object(source, "/source", Set.of("format", "header", "delimiter", "quote", "nullString", "blob"))) {
            String format = string(source, "/source", "format", true);
            if (format != null && !format.equals("csv")) {
                problem("/source/format", "unknown source format '" + format + "'" + Suggestions.didYouMean(format,
                        List.of("csv")) + "; allowed: csv");
            }
            boolean header = bool(source, "/source", "header", true);
            char delimiter = character(source, "/source", "delimiter", ',');
            char quote = character(source, "/source", "quote", '"');
            String nullString = Optional.ofNullable(string(source, "/source", "nullString", false)).orElse("");
            if (delimiter == quote) {
                problem("/source/quote", "the quote character is the same as the delimiter ('" + delimiter
                        + "'); give them different characters");
            }
            csv = new CsvFormat(header, delimiter, quote, nullString);
            sourceBlob = Optional.ofNullable(string(source, "/source", "blob", false));
            sourceBlob.filter(b -> !BLOB_REFERENCE.matcher(b).matches()).ifPresent(b -> problem("/source/blob", "'" + b
                    + "' is not a blob reference: write \"container/path/name.csv\", where the container name is "
                    + "3-63 lower-case letters, digits and single '-'"));
        }
        if (schedule.isPresent() && sourceBlob.isEmpty() && source != null) {
            problem("/schedule", "a scheduled pipeline needs \"source\": {\"blob\": \"container/path\"} to know what to read");
        }
        List<Column> columns = columns(root.get("columns"));
        List<Step> steps = steps(root.get("steps"), columns.stream().map(Column::name).toList());
        String compression = output(root.get("output"));
        return new PipelineDefinition(name, description == null ? "" : description, fileDrop, schedule, sourceBlob,
                csv, columns, steps, compression, hash, text);
    }

    private void requireSchemaVersion(JsonNode root) {
        JsonNode version = root.get("schemaVersion");
        if (version == null) {
            problem("", "missing required field 'schemaVersion'; add \"schemaVersion\": " + PipelineDefinition.SCHEMA_VERSION);
        } else if (!version.isIntegralNumber() || version.asInt() != PipelineDefinition.SCHEMA_VERSION) {
            problem("/schemaVersion", "unsupported schemaVersion " + version + "; this Tributary reads version "
                    + PipelineDefinition.SCHEMA_VERSION);
        }
    }

    private Optional<FileDropTrigger> trigger(JsonNode trigger) {
        if (trigger == null || !object(trigger, "/trigger", Set.of("type", "path"))) {
            return Optional.empty();
        }
        String type = string(trigger, "/trigger", "type", true);
        if (type != null && !type.equals("fileDrop")) {
            problem("/trigger/type", "unknown trigger type '" + type + "'" + Suggestions.didYouMean(type,
                    List.of("fileDrop")) + "; allowed: fileDrop (schedules go in \"schedule\")");
        }
        String path = string(trigger, "/trigger", "path", true);
        if (path != null && (path.isBlank() || path.startsWith("/") || path.startsWith("landing/"))) {
            problem("/trigger/path", "'" + path + "' must be a glob inside the landing container, without the "
                    + "container name, e.g. \"orders/*.csv\"");
        }
        return path == null ? Optional.empty() : Optional.of(new FileDropTrigger(path));
    }

    private Optional<ScheduleTrigger> schedule(JsonNode schedule) {
        if (schedule == null || !object(schedule, "/schedule", Set.of("cron"))) {
            return Optional.empty();
        }
        String cron = string(schedule, "/schedule", "cron", true);
        if (cron == null) {
            return Optional.empty();
        }
        try {
            if (Ncrontab.parse(cron).next(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)).isEmpty()) {
                problem("/schedule/cron", "'" + cron + "' never fires (is it a date that does not exist, "
                        + "such as February 31?)");
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            problem("/schedule/cron", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new ScheduleTrigger(cron));
    }

    private List<Column> columns(JsonNode node) {
        List<Column> columns = new ArrayList<>();
        if (node == null) {
            problem("", "missing required field 'columns': declare the source's columns in file order, e.g. "
                    + "[{\"name\": \"id\", \"type\": \"long\"}]");
            return columns;
        }
        if (!node.isArray() || node.isEmpty()) {
            problem("/columns", "expected a non-empty array of columns, found " + describe(node));
            return columns;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/columns/" + i;
            JsonNode column = node.get(i);
            if (!object(column, at, Set.of("name", "type", "nullable"))) {
                continue;
            }
            String name = string(column, at, "name", true);
            if (name != null && name.isBlank()) {
                problem(at + "/name", "a column name cannot be empty");
                name = null;
            }
            String typeText = string(column, at, "type", true);
            boolean nullable = bool(column, at, "nullable", true);
            if (name != null && !seen.add(name)) {
                problem(at + "/name", "column '" + name + "' is declared twice");
            }
            ColumnType type = null;
            if (typeText != null) {
                try {
                    type = ColumnType.parse(typeText);
                } catch (IllegalArgumentException e) {
                    problem(at + "/type", e.getMessage());
                }
            }
            if (name != null && type != null) {
                columns.add(new Column(name, type, nullable));
            }
        }
        return columns;
    }

    private List<Step> steps(JsonNode node, List<String> columns) {
        List<Step> steps = new ArrayList<>();
        if (node == null) {
            return steps;
        }
        if (!node.isArray()) {
            problem("/steps", "expected an array of steps, found " + describe(node));
            return steps;
        }
        List<String> available = columns;
        for (int i = 0; i < node.size(); i++) {
            String at = "/steps/" + i;
            JsonNode step = node.get(i);
            if (!step.isObject()) {
                problem(at, "expected a step object, found " + describe(step));
                continue;
            }
            String type = string(step, at, "type", true);
            if (type == null) {
                continue;
            }
            Step parsed = switch (type) {
                case "filter" -> filter(step, at);
                case "select" -> select(step, at, available);
                default -> {
                    problem(at + "/type", "unknown step type '" + type + "'" + Suggestions.didYouMean(type, Step.KINDS)
                            + "; allowed: " + String.join(", ", Step.KINDS));
                    yield null;
                }
            };
            if (parsed != null) {
                steps.add(parsed);
                available = parsed.outputColumns(available);
            }
        }
        return steps;
    }

    private Step filter(JsonNode step, String at) {
        if (!object(step, at, Set.of("type", "where"))) {
            return null;
        }
        String where = string(step, at, "where", true);
        if (where != null && where.isBlank()) {
            problem(at + "/where", "the filter expression is empty; write a SQL condition such as \"amount > 0\"");
            return null;
        }
        return where == null ? null : new FilterStep(where);
    }

    private Step select(JsonNode step, String at, List<String> available) {
        if (!object(step, at, Set.of("type", "columns"))) {
            return null;
        }
        JsonNode columns = step.get("columns");
        if (columns == null || !columns.isArray() || columns.isEmpty()) {
            problem(columns == null ? at : at + "/columns", columns == null
                    ? "missing required field 'columns' (the column names to keep)"
                    : "expected a non-empty array of column names, found " + describe(columns));
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            JsonNode column = columns.get(j);
            if (!column.isTextual()) {
                problem(at + "/columns/" + j, "expected a column name, found " + describe(column));
                continue;
            }
            String name = column.asText();
            if (!available.isEmpty() && !available.contains(name)) {
                problem(at + "/columns/" + j, "no column '" + name + "' at this step" + Suggestions.didYouMean(name,
                        available) + "; available: " + String.join(", ", available));
            }
            names.add(name);
        }
        return new SelectStep(names);
    }

    private String output(JsonNode node) {
        if (node == null || !object(node, "/output", Set.of("format", "compression"))) {
            return "zstd";
        }
        String format = string(node, "/output", "format", false);
        if (format != null && !format.equals("parquet")) {
            problem("/output/format", "unknown output format '" + format + "'; allowed: parquet");
        }
        String compression = string(node, "/output", "compression", false);
        List<String> codecs = List.of("zstd", "snappy", "gzip", "uncompressed");
        if (compression != null && !codecs.contains(compression)) {
            problem("/output/compression", "unknown compression '" + compression + "'"
                    + Suggestions.didYouMean(compression, codecs) + "; allowed: " + String.join(", ", codecs));
            return "zstd";
        }
        return compression == null ? "zstd" : compression;
    }

    /** Checks that {@code node} is an object with only {@code allowed} fields; reports and returns false if not. */
    private boolean object(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            problem(at, "expected an object, found " + describe(node));
            return false;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                problemAtKey(at + "/" + LocatedJson.escape(field), "unknown field '" + field + "'"
                        + Suggestions.didYouMean(field, allowed) + "; allowed here: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return true;
    }

    private String string(JsonNode parent, String at, String field, boolean required) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problem(at, "missing required field '" + field + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            problem(at + "/" + field, "expected a string, found " + describe(value));
            return null;
        }
        return value.asText();
    }

    private boolean bool(JsonNode parent, String at, String field, boolean fallback) {
        JsonNode value = parent.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problem(at + "/" + field, "expected true or false, found " + describe(value));
            return fallback;
        }
        return value.asBoolean();
    }

    private char character(JsonNode parent, String at, String field, char fallback) {
        String value = string(parent, at, field, false);
        if (value == null) {
            return fallback;
        }
        if (value.length() != 1) {
            problem(at + "/" + field, "expected a single character, found \"" + value + "\"");
            return fallback;
        }
        return value.charAt(0);
    }

    /** A problem with the value at {@code pointer}. */
    private void problem(String pointer, String message) {
        report(pointer, false, message);
    }

    /** A problem with the field name at {@code pointer} (an unknown field). */
    private void problemAtKey(String pointer, String message) {
        report(pointer, true, message);
    }

    private void report(String pointer, boolean atKey, String message) {
        int[] at = json.position(pointer, atKey);
        problems.add(new Problem(file, at[0], at[1], pointer, message));
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        return node.isNull() ? "null" : node.toString();
    }

    private static String hash(JsonNode root) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(root, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a definition", e);
        }
    }
}
