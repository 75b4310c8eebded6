package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.sql.SqlText;
import io.tributary.definition.step.LookupStep;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The table a {@code lookup} step joins: the reference's key columns, typed as the row's keys they
 * match, and its added columns, typed as declared. A reference that lacks a column, holds a value that
 * does not convert, or has two rows for one key fails the chunk with what to fix.
 */
final class LookupTables {

    private LookupTables() {
    }

    /**
     * Loads the reference at {@code file} for {@code step}.
     *
     * @param rowTypes the DuckDB types of the columns at the step, by name
     */
    static void load(Connection db, LookupStep step, Path file, Map<String, String> rowTypes) {
        String reader = reader(step, file);
        Map<String, String> needed = columns(step, rowTypes);
        List<String> found = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + reader)) {
            while (rs.next()) {
                found.add(rs.getString("column_name"));
            }
        } catch (SQLException e) {
            throw failure(step, "cannot be read as " + LookupStep.format(step.from()).orElseThrow() + ": "
                    + ChunkTransformer.firstLine(e), e);
        }
        for (String column : needed.keySet()) {
            if (!found.contains(column)) {
                throw failure(step, "has no column '" + column + "'; its columns are " + String.join(", ", found)
                        + " (fix the lookup's \"on\" or \"columns\", or the reference)", null);
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE " + step.table() + " AS SELECT " + needed.entrySet().stream()
                    .map(c -> "CAST(" + identifier(c.getKey()) + " AS " + c.getValue() + ") AS " + identifier(c.getKey()))
                    .collect(Collectors.joining(", ")) + " FROM " + reader);
        } catch (SQLException e) {
            throw failure(step, misfit(db, reader, needed)
                    .orElse("holds a value that does not fit its declared type: " + ChunkTransformer.firstLine(e)), e);
        }
        List<String> keys = step.on().values().stream().distinct().map(SqlText::identifier).toList();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT to_json(k)::VARCHAR, count(*) "
                + "FROM (SELECT " + String.join(", ", keys) + " FROM " + step.table() + " WHERE "
                + keys.stream().map(k -> k + " IS NOT NULL").collect(Collectors.joining(" AND ")) + ") k "
                + "GROUP BY ALL HAVING count(*) > 1 LIMIT 1")) {
            if (rs.next()) {
                throw failure(step, "has " + rs.getLong(2) + " rows for the key " + rs.getString(1) + "; a lookup "
                        + "needs one row per key, so remove the duplicates from the reference", null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the lookup reference's keys: " + ChunkTransformer.firstLine(e), e);
        }
    }

    /** An empty table of the right shape, for checking a definition before any data exists. */
    static void createEmpty(Connection db, LookupStep step, Map<String, String> rowTypes) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + step.table() + " (" + columns(step, rowTypes).entrySet().stream()
                    .map(c -> identifier(c.getKey()) + " " + c.getValue()).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** The reference's columns the step needs, with their types: the keys first, as the row's keys. */
    private static Map<String, String> columns(LookupStep step, Map<String, String> rowTypes) {
        Map<String, String> columns = new LinkedHashMap<>();
        step.on().forEach((row, reference) -> columns.putIfAbsent(reference, rowTypes.getOrDefault(row, "VARCHAR")));
        step.columns().forEach((name, type) -> columns.putIfAbsent(name, type.sqlType()));
        return columns;
    }

    /** The first value that does not convert to its column's type, described, if one can be found. */
    private static Optional<String> misfit(Connection db, String reader, Map<String, String> columns) {
        for (Map.Entry<String, String> column : columns.entrySet()) {
            String name = identifier(column.getKey());
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT CAST(" + name
                    + " AS VARCHAR) FROM " + reader + " WHERE " + name + " IS NOT NULL AND TRY_CAST(" + name + " AS "
                    + column.getValue() + ") IS NULL LIMIT 1")) {
                if (rs.next()) {
                    return Optional.of("holds '" + rs.getString(1) + "' in column '" + column.getKey() + "', which is "
                            + "not a " + column.getValue() + "; fix the reference or the type the lookup declares");
                }
            } catch (SQLException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String reader(LookupStep step, Path file) {
        String path = literal(file.toString());
        return switch (LookupStep.format(step.from()).orElseThrow()) {
            case "csv" -> "read_csv(" + path + ", header = true, all_varchar = true)";
            case "parquet" -> "read_parquet(" + path + ")";
            case "jsonl" -> "read_json(" + path + ", format = 'newline_delimited')";
            default -> "read_json(" + path + ", format = 'auto')";
        };
    }

    private static TransformFailedException failure(LookupStep step, String what, Throwable cause) {
        return new TransformFailedException("the lookup reference '" + step.from() + "' " + what, cause);
    }
}
