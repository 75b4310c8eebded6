package io.tributary.fetch;

import io.tributary.definition.source.Incremental;
import io.tributary.definition.sql.SqlText;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The incremental cursor of a {@code source.sql}: the column of the query's result whose largest value a committed
 * run keeps as its high-water mark. It wraps the query so the database returns only the rows after the mark, in
 * cursor order: {@code SELECT * FROM (query) tributary_source WHERE cursor > ? ORDER BY cursor}. The bound is
 * exclusive, so the row that set the mark is not read again, and every row with a larger value is.
 *
 * <p>The mark is kept as text and bound with the column's type: a timestamp as a timestamp (an instant is turned to
 * UTC for a column without a time zone), a date as a date, a number as a number, text as text. The new mark is the
 * last non-NULL cursor value written, which in the database's own order (the one {@code >} uses) is the largest.
 * A row whose cursor is NULL is written but does not move the mark; as NULL is never greater than a mark, such a
 * row is read by full loads only.
 */
final class SqlCursor {

    private final SqlColumn column;
    private Object last;

    private SqlCursor(SqlColumn column) {
        this.column = column;
    }

    /**
     * The cursor among the query's result columns (matched case-insensitively when no column has its exact name).
     *
     * @throws SourceException CONFIGURATION naming the columns there are, when none matches, or when the column's
     *                         type cannot order rows
     */
    static SqlCursor find(Incremental incremental, List<SqlColumn> columns) {
        String name = incremental.cursor();
        Optional<SqlColumn> column = columns.stream().filter(c -> c.label().equals(name)).findFirst()
                .or(() -> columns.stream().filter(c -> c.label().equalsIgnoreCase(name)).findFirst());
        if (column.isEmpty()) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the incremental cursor '" + name
                    + "' is not a column of the query's result" + io.tributary.definition.read.Suggestions.didYouMean(name,
                    columns.stream().map(SqlColumn::label).toList()) + "; columns: " + String.join(", ",
                    columns.stream().map(SqlColumn::label).toList()) + " (fix source.incremental.cursor, or select "
                    + "the column in source.sql.query)");
        }
        switch (column.get().kind()) {
            case WHOLE, DECIMAL, REAL, DOUBLE, TEXT, DATE, TIMESTAMP, INSTANT:
                return new SqlCursor(column.get());
            default:
                throw new SourceException(SourceException.Kind.CONFIGURATION, "the incremental cursor '" + name
                        + "' is a " + column.get().type() + " column, which cannot mark progress; use a timestamp, "
                        + "date, number or text column that grows with each change (e.g. updated_at or an id)");
        }
    }

    /** The column, as the result names it. */
    String label() {
        return column.label();
    }

    /** {@code query} wrapped to read, in cursor order, only the rows after the mark (all rows when there is none). */
    String wrap(String query, boolean afterMark) {
        String cursor = SqlText.identifier(column.label());
        // New lines keep a '--' comment at the end of the query from swallowing the wrapper.
        return "SELECT * FROM (\n" + query + "\n) tributary_source" + (afterMark ? " WHERE " + cursor + " > ?" : "")
                + " ORDER BY " + cursor;
    }

    /**
     * Binds the mark to {@code index}, typed as the column is.
     *
     * @throws SourceException CONFIGURATION when the mark is not a value of the column's type
     */
    void bind(PreparedStatement statement, int index, String mark) throws SQLException {
        try {
            switch (column.kind()) {
                // The column's own type, so the comparison is exact and an index on the column serves it.
                case WHOLE -> statement.setLong(index, Long.parseLong(mark.strip()));
                case DECIMAL -> statement.setBigDecimal(index, new BigDecimal(mark.strip()));
                case REAL -> statement.setFloat(index, Float.parseFloat(mark.strip()));
                case DOUBLE -> statement.setDouble(index, Double.parseDouble(mark.strip()));
                case DATE -> statement.setObject(index, LocalDate.parse(mark.strip()));
                case TIMESTAMP -> statement.setObject(index, localTimestamp(mark.strip()));
                case INSTANT -> statement.setObject(index, instant(mark.strip()));
                default -> statement.setString(index, mark);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the high-water mark '" + mark + "' is not a "
                    + column.type() + " value, as the cursor '" + column.label() + "' holds; fix "
                    + "source.incremental.initial, or run again with a full refresh", e);
        }
    }

    /** Notes the cursor value of a row written. */
    void saw(Object value) {
        if (value != null) {
            last = value;
        }
    }

    /** The new high-water mark: the largest cursor value written, as text; empty when none was. */
    Optional<String> highWatermark() {
        return Optional.ofNullable(last).map(SqlColumn::text);
    }

    /** {@code 2026-11-22T10:00:00}, or an instant ({@code …Z}, {@code …+01:00}) as its UTC date and time. */
    private static LocalDateTime localTimestamp(String text) {
        try {
            return LocalDateTime.parse(text.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text.replace(' ', 'T')).withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime();
        }
    }

    /** An instant ({@code …Z}, {@code …+01:00}), or a date and time without an offset, taken as UTC. */
    private static OffsetDateTime instant(String text) {
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text.replace(' ', 'T')).atOffset(ZoneOffset.UTC);
        }
    }
}
