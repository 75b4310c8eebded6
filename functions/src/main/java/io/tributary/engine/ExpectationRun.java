package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.expectation.Expectation;
import io.tributary.run.ExpectationResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a chunk's rows against the definition's expectations: each row carries a flag per expectation
 * ({@link #flagColumns}, computed with the steps in one pass), then one scan counts the failures; rows failing
 * a {@code drop} expectation are set aside with the expectations they failed; any failing {@code fail}
 * expectation fails the chunk, naming a failing row.
 */
public final class ExpectationRun {

    private static final String FLAG = ChunkTransformer.INTERNAL + "x";

    private final List<Expectation> expectations;
    private final List<ExpectationResult> results = new ArrayList<>();
    private long rowsDropped;

    ExpectationRun(List<Expectation> expectations) {
        this.expectations = expectations;
    }

    List<ExpectationResult> results() {
        return List.copyOf(results);
    }

    /** Rows set aside by {@code drop} expectations; known after {@link #judge}. */
    long rowsDropped() {
        return rowsDropped;
    }

    /** The flag columns to compute on the steps' rows: true for a row that fails the expectation. */
    List<String> flagColumns() {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            if (!e.expect().equals("rowCount")) {
                columns.add((e.perRow() ? "NOT (" + e.condition() + ")" : e.duplicateSql()) + " AS " + FLAG + i);
            }
        }
        return columns;
    }

    /** Whether a flag judges a row among others (a window over the rows: unique), not the row on its own. */
    boolean flagsSpanRows() {
        return expectations.stream().anyMatch(e -> !e.perRow() && !e.expect().equals("rowCount"));
    }

    /**
     * For a {@code rowCount} expectation, what is wrong with a run that kept {@code rows} rows (e.g. "3 rows, expected
     * at least 5"), or empty when the count is within its bounds.
     */
    public static Optional<String> outOfBounds(Expectation rowCount, long rows) {
        Long min = rowCount.min();
        Long max = rowCount.max();
        if ((min == null || rows >= min) && (max == null || rows <= max)) {
            return Optional.empty();
        }
        return Optional.of(rows + " rows, expected " + (min == null ? "" : "at least " + min)
                + (min != null && max != null ? " and " : "") + (max == null ? "" : "at most " + max));
    }

    /**
     * Counts the failures in {@code table} (which carries the {@link #flagColumns}); returns the query for the
     * rows to keep, without the flags.
     *
     * @throws TransformFailedException when a {@code fail} expectation fails
     */
    String judge(Connection db, String table) throws SQLException {
        List<String> flags = flags();
        String kept = "SELECT COLUMNS(lambda c: NOT starts_with(c, " + literal(ChunkTransformer.INTERNAL) + ")) FROM "
                + table + (drops().isEmpty() ? "" : " WHERE NOT (" + dropCondition() + ")");
        if (expectations.isEmpty()) {
            return kept;
        }
        long[] counts = counts(db, table);
        long rowsKept = counts[expectations.size()];
        rowsDropped = counts[expectations.size() + 1];
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            if (e.expect().equals("rowCount")) {
                // Bounds are for the run's rows, judged once every chunk is counted: see outOfBounds.
                results.add(new ExpectationResult(e.name(), e.expect(), e.onFailure(), 0, rowsKept));
                continue;
            }
            long failed = counts[i];
            results.add(new ExpectationResult(e.name(), e.expect(), e.onFailure(), failed, null));
            if (failed > 0 && e.onFailure().equals("fail")) {
                throw new TransformFailedException("expectation '" + e.name() + "' failed on " + failed + " row"
                        + (failed == 1 ? "" : "s") + ", e.g. " + example(db, table, FLAG + i), null);
            }
        }
        return kept;
    }

    /**
     * The rows dropped from {@code table}, one per row naming every expectation it failed, in the columns a parser's
     * rejects take ({@link SourceParse#writeRejects}): the row's {@link ChunkTransformer#ROW} (null when
     * {@code rows} is false: the steps made new rows), column, error, reason, and the row's values as JSON; empty
     * when no expectation drops rows.
     */
    Optional<String> droppedRecords(String table, boolean rows) {
        List<String> reasons = new ArrayList<>();
        for (int i : drops()) {
            reasons.add("CASE WHEN " + FLAG + i + " THEN "
                    + literal("expectation '" + expectations.get(i).name() + "' failed") + " END");
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("SELECT " + (rows ? ChunkTransformer.ROW : "NULL::BIGINT") + " AS row, NULL AS \"column\", "
                + "'EXPECTATION' AS error, concat_ws('; ', " + String.join(", ", reasons) + ") AS reason, "
                + rowAsJson() + " AS text FROM " + table + " WHERE " + dropCondition());
    }

    /** One scan for every count: the rows failing each expectation (index i), then the rows kept, then dropped. */
    private long[] counts(Connection db, String table) throws SQLException {
        List<String> aggregates = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            aggregates.add(expectations.get(i).expect().equals("rowCount") ? "0"
                    : "count(*) FILTER (WHERE " + FLAG + i + ")");
        }
        String drop = drops().isEmpty() ? "false" : dropCondition();
        aggregates.add("count(*) FILTER (WHERE NOT (" + drop + "))");
        aggregates.add("count(*) FILTER (WHERE " + drop + ")");
        long[] counts = new long[aggregates.size()];
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM " + table)) {
            rs.next();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = rs.getLong(i + 1);
            }
        }
        return counts;
    }

    private List<String> flags() {
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            if (!expectations.get(i).expect().equals("rowCount")) {
                flags.add(FLAG + i);
            }
        }
        return flags;
    }

    /** The indexes of the {@code drop} expectations. */
    private List<Integer> drops() {
        List<Integer> drops = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            if (expectations.get(i).onFailure().equals("drop")) {
                drops.add(i);
            }
        }
        return drops;
    }

    /** True for a row that fails any {@code drop} expectation. */
    private String dropCondition() {
        return String.join(" OR ", drops().stream().map(i -> FLAG + i).toList());
    }

    /** The row's own columns (no flags, no split) as a JSON object, for a person reading the rejects. */
    private static String rowAsJson() {
        return "to_json(struct_pack(*COLUMNS(lambda c: NOT starts_with(c, " + literal(ChunkTransformer.INTERNAL)
                + "))))::VARCHAR";
    }

    private static String example(Connection db, String table, String flag) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT " + rowAsJson() + " FROM "
                + table + " WHERE " + flag + " LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
