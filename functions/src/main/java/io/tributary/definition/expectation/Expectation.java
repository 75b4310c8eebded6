package io.tributary.definition.expectation;

import io.tributary.definition.sql.SqlText;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A data-quality expectation checked on the rows after every step, with what to do when rows fail it.
 *
 * @param name      how results and rejects name it
 * @param expect    the kind: one of {@link #KINDS}
 * @param columns   the column(s) it looks at (empty for {@code expr} and {@code rowCount})
 * @param condition for row-level kinds, a SQL condition true for a row that passes; null for set-level kinds
 * @param expr      for {@code expr}, the expression as written; else null
 * @param pattern   for {@code matches}, the regular expression (RE2 syntax, as DuckDB reads it); else null
 * @param min       {@code rowCount}'s lower bound, or null
 * @param max       {@code rowCount}'s upper bound, or null
 * @param onFailure {@code fail} the run, {@code drop} failing rows into the rejects, or {@code warn} (count only)
 */
public record Expectation(String name, String expect, List<String> columns, String condition, String expr,
                          String pattern, Long min, Long max, String onFailure) {

    public static final List<String> KINDS =
            List.of("notNull", "unique", "between", "inSet", "matches", "expr", "rowCount");
    public static final List<String> ACTIONS = List.of("fail", "drop", "warn");

    public Expectation {
        columns = List.copyOf(columns);
    }

    /** Whether it judges each row on its own (else it judges the rows as a whole: unique, rowCount). */
    public boolean perRow() {
        return condition != null;
    }

    /** For {@code unique}: a SQL expression true for a row whose key other rows share (a missing key shares none). */
    public String duplicateSql() {
        String keys = columns.stream().map(SqlText::identifier).collect(Collectors.joining(", "));
        String present = columns.stream().map(c -> SqlText.identifier(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        return "(" + present + " AND count(*) OVER (PARTITION BY " + keys + ") > 1)";
    }
}
