package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Expectation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a chunk's rows against the definition's expectations in one pass: each row gets a flag per
 * expectation; rows failing a {@code drop} expectation are set aside with the expectations they failed;
 * any failing {@code fail} expectation fails the chunk, naming a failing row.
 */
final class ExpectationRun {

    private final List<Expectation> expectations;
    private final List<ExpectationResult> results = new ArrayList<>();

    ExpectationRun(List<Expectation> expectations) {
        this.expectations = expectations;
    }

    List<ExpectationResult> results() {
        return List.copyOf(results);
    }

    /**
     * Checks the rows of {@code query}; returns the query for the rows to keep.
     *
     * @throws TransformFailedException when a {@code fail} expectation fails
     */
    String apply(Connection db, String query) throws SQLException {
        if (expectations.isEmpty()) {
            return query;
        }
        List<String> flags = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            if (e.expect().equals("rowCount")) {
                continue;
            }
            String flag = "__tributary_x" + i;
            flags.add(flag);
            columns.add((e.perRow() ? "NOT (" + e.condition() + ")" : e.duplicateSql()) + " AS " + flag);
        }
        execute(db, "CREATE TEMP TABLE checked AS SELECT *" + (columns.isEmpty() ? "" : ", "
                + String.join(", ", columns)) + " FROM (" + query + ")");
        String drop = dropCondition();
        long[] counts = counts(db, drop);
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            if (e.expect().equals("rowCount")) {
                long rows = counts[expectations.size()];
                boolean out = (e.min() != null && rows < e.min()) || (e.max() != null && rows > e.max());
                results.add(new ExpectationResult(e.name(), e.expect(), e.onFailure(), out ? 1 : 0, rows));
                if (out && e.onFailure().equals("fail")) {
                    throw new TransformFailedException("expectation '" + e.name() + "' failed: " + rows + " rows, "
                            + "expected " + (e.min() == null ? "" : "at least " + e.min())
                            + (e.min() != null && e.max() != null ? " and " : "")
                            + (e.max() == null ? "" : "at most " + e.max()), null);
                }
                continue;
            }
            long failed = counts[i];
            results.add(new ExpectationResult(e.name(), e.expect(), e.onFailure(), failed, null));
            if (failed > 0 && e.onFailure().equals("fail")) {
                throw new TransformFailedException("expectation '" + e.name() + "' failed on " + failed + " row"
                        + (failed == 1 ? "" : "s") + ", e.g. " + example(db, "__tributary_x" + i), null);
            }
        }
        setAsideDropped(db);
        String exclude = flags.isEmpty() ? "" : " EXCLUDE (" + String.join(", ", flags) + ")";
        return "SELECT *" + exclude + " FROM checked WHERE NOT (" + drop + ")";
    }

    /**
     * One scan for every count: the rows failing each expectation (index i), then the rows kept after
     * the drops (last index).
     */
    private long[] counts(Connection db, String drop) throws SQLException {
        List<String> aggregates = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            aggregates.add(expectations.get(i).expect().equals("rowCount") ? "0"
                    : "count(*) FILTER (WHERE __tributary_x" + i + ")");
        }
        aggregates.add("count(*) FILTER (WHERE NOT (" + drop + "))");
        long[] counts = new long[aggregates.size()];
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM checked")) {
            rs.next();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = rs.getLong(i + 1);
            }
        }
        return counts;
    }

    /** True for a row that fails any {@code drop} expectation. */
    private String dropCondition() {
        List<String> drops = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            if (expectations.get(i).onFailure().equals("drop")) {
                drops.add("__tributary_x" + i);
            }
        }
        return drops.isEmpty() ? "false" : String.join(" OR ", drops);
    }

    /** Moves the dropped rows into the rejects, one record per row naming every expectation it failed. */
    private void setAsideDropped(Connection db) throws SQLException {
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            if (e.onFailure().equals("drop")) {
                reasons.add("CASE WHEN __tributary_x" + i + " THEN " + literal("expectation '" + e.name() + "' failed")
                        + " END");
            }
        }
        if (reasons.isEmpty()) {
            return;
        }
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            if (!expectations.get(i).expect().equals("rowCount")) {
                flags.add("__tributary_x" + i);
            }
        }
        execute(db, "CREATE TEMP TABLE dropped AS SELECT * FROM checked WHERE " + dropCondition());
        // The reasons come from the flags; the row's text from its own columns, matched by position.
        execute(db, "INSERT INTO missing SELECT NULL, NULL, 'EXPECTATION', concat_ws('; ', "
                + String.join(", ", reasons) + "), to_json(__tributary_row)::VARCHAR FROM dropped POSITIONAL JOIN "
                + "(SELECT * EXCLUDE (" + String.join(", ", flags) + ") FROM dropped) __tributary_row");
    }

    private static String example(Connection db, String flag) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT to_json(__tributary_row)::VARCHAR "
                + "FROM (SELECT COLUMNS(lambda c: NOT starts_with(c, '__tributary_x')) FROM checked WHERE " + flag
                + " LIMIT 1) __tributary_row")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }
}
