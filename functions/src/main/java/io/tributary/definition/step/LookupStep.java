package io.tributary.definition.step;

import io.tributary.definition.column.ColumnType;
import io.tributary.definition.sql.SqlText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Adds columns from a small reference dataset in blob storage to each row whose key matches (a left
 * join: a row without a match keeps nulls in the added columns). The reference must hold one row per
 * key; its columns are read as the declared types.
 *
 * @param from    the reference blob, {@code container/path}; its format follows from its name
 * @param on      the row's key column → the reference's key column
 * @param columns the reference's columns to add → their types
 * @param table   the engine's name for the reference's rows within one run of the definition
 */
public record LookupStep(String from, Map<String, String> on, Map<String, ColumnType> columns, String table)
        implements Step {

    /** Name endings of the formats a reference may have, and the format each means. */
    public static final Map<String, String> FORMATS = formats();

    public LookupStep {
        on = Collections.unmodifiableMap(new LinkedHashMap<>(on));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        if (format(from).isEmpty()) {
            throw new IllegalArgumentException("cannot tell the format of '" + from + "'");
        }
    }

    private static Map<String, String> formats() {
        Map<String, String> formats = new LinkedHashMap<>();
        formats.put(".csv", "csv");
        formats.put(".csv.gz", "csv");
        formats.put(".parquet", "parquet");
        formats.put(".jsonl", "jsonl");
        formats.put(".ndjson", "jsonl");
        formats.put(".json", "json");
        return Collections.unmodifiableMap(formats);
    }

    /** The format a reference named {@code name} has ({@code csv}, {@code parquet}, {@code jsonl}, {@code json}). */
    public static Optional<String> format(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return FORMATS.entrySet().stream().filter(e -> lower.endsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
    }

    /** The reference's container. */
    public String container() {
        return from.substring(0, from.indexOf('/'));
    }

    /** The reference's blob name inside its container. */
    public String blob() {
        return from.substring(from.indexOf('/') + 1);
    }

    /** The name ending a local copy of the reference keeps, so the engine reads it in its format. */
    public String extension() {
        String lower = from.toLowerCase(Locale.ROOT);
        return FORMATS.keySet().stream().filter(lower::endsWith).findFirst().orElseThrow();
    }

    @Override
    public String op() {
        return "lookup";
    }

    @Override
    public Optional<List<String>> outputColumns(List<String> input) {
        List<String> output = new ArrayList<>(input);
        output.addAll(columns.keySet());
        return Optional.of(output);
    }
}
