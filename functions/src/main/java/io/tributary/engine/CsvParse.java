package io.tributary.engine;

import static io.tributary.definition.SqlText.identifier;
import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Column;
import io.tributary.definition.SourceFormat;
import io.tributary.definition.PipelineDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses a CSV chunk into the table {@code parsed} with the declared column types, and sets aside the
 * records that do not fit — with line and reason — in DuckDB's {@code reject_errors} and the table
 * {@code missing}; {@link #writeRejects} writes them out as JSON lines, with any rows set aside later.
 */
final class CsvParse implements SourceParse {

    private final SourceFormat csv;
    private final SourceSchema schema;
    private final List<Column> columns;

    CsvParse(PipelineDefinition definition, SourceSchema schema) {
        this.csv = definition.source();
        this.schema = schema;
        this.columns = schema.toColumns();
    }

    /**
     * Columns are read by position: a header that names other columns, or the same in another order,
     * would put values under the wrong names, so it fails the chunk instead.
     */
    @Override
    public void check(Connection db, Path source) {
        if (!csv.header()) {
            return;
        }
        List<String> declared = columns.stream().map(Column::name).toList();
        List<String> found = new ArrayList<>();
        // The sniffer only has to find the header line's fields: a sample of that one line is enough, where the
        // default sample would read thousands of rows.
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM read_csv("
                + literal(source.toString()) + ", header = false, all_varchar = true, auto_detect = true"
                + ", sample_size = 1, delim = " + literal(String.valueOf(csv.delimiter()))
                + ", quote = " + literal(String.valueOf(csv.quote())) + ", null_padding = true) LIMIT 1")) {
            if (!rs.next()) {
                return;
            }
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getString(i);
                found.add(name == null ? "" : name.strip());
            }
        } catch (SQLException e) {
            throw new TransformFailedException("the source's header line cannot be read as CSV: "
                    + ChunkTransformer.firstLine(e), e);
        }
        if (!found.equals(declared)) {
            throw new TransformFailedException("the source's header names the columns " + found
                    + " but the " + (schema.origin().equals("inferred") ? "run inferred " : "definition declares ")
                    + declared + ", in that order; columns are read by position, so fix the definition's "
                    + "\"columns\" (or set \"header\": false for files without a header line, or \"schemaDrift\": "
                    + "\"ignore\" or \"evolve\" to match columns by name)", null);
        }
    }

    @Override
    public void load(Connection db, Path source) throws SQLException {
        String types = columns.stream()
                .map(c -> literal(c.name()) + ": " + literal(c.type().sqlType()))
                .collect(Collectors.joining(", ", "{", "}"));
        List<String> typedNotNull = notNull(false);
        StringBuilder read = new StringBuilder("CREATE TEMP TABLE parsed AS SELECT *").append(zoned())
                .append(" FROM read_csv(")
                .append(literal(source.toString()))
                .append(", columns = ").append(types)
                .append(", header = ").append(csv.header())
                .append(", delim = ").append(literal(String.valueOf(csv.delimiter())))
                .append(", quote = ").append(literal(String.valueOf(csv.quote())))
                .append(", escape = ").append(literal(String.valueOf(csv.quote())))
                .append(", nullstr = ").append(nullStrings())
                .append(csv.timestampFormat().map(f -> ", timestampformat = " + literal(f)).orElse(""))
                .append(csv.dateFormat().map(f -> ", dateformat = " + literal(f)).orElse(""))
                .append(", auto_detect = false, store_rejects = true, ignore_errors = true");
        if (!typedNotNull.isEmpty()) {
            // An empty value in a non-nullable typed column stays '' and so fails its type: rejected with its line.
            read.append(", force_not_null = [").append(String.join(", ", typedNotNull)).append("]");
        }
        read.append(")");
        try (Statement s = db.createStatement()) {
            s.execute(read.toString());
        }
        setAsideMissingStrings(db);
        try (Statement s = db.createStatement()) {
            for (String ignored : schema.ignored()) {
                s.execute("ALTER TABLE parsed DROP COLUMN " + identifier(ignored));
            }
        }
    }

    /** Turns each zoned timestamp's wall-clock value into the instant it names in its zone. */
    private String zoned() {
        List<String> replaced = columns.stream().filter(c -> c.timeZone().isPresent())
                .map(c -> "timezone(" + literal(c.timeZone().get()) + ", " + identifier(c.name()) + ") AS "
                        + identifier(c.name()))
                .toList();
        return replaced.isEmpty() ? "" : " REPLACE (" + String.join(", ", replaced) + ")";
    }

    /**
     * A missing value in a non-nullable string column parses as NULL, not as an error; such rows are
     * moved to {@code missing} with their reason and their values (DuckDB gives no line for them).
     */
    private void setAsideMissingStrings(Connection db) throws SQLException {
        String text = columns.stream()
                .map(c -> "coalesce(CAST(" + identifier(c.name()) + " AS VARCHAR), '')")
                .collect(Collectors.joining(" || " + literal(String.valueOf(csv.delimiter())) + " || "));
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE missing (line BIGINT, \"column\" VARCHAR, error VARCHAR, reason VARCHAR, "
                    + "text VARCHAR)");
            for (Column column : columns) {
                if (!column.nullable() && column.type().name().equals("string")) {
                    String name = identifier(column.name());
                    s.execute("INSERT INTO missing SELECT NULL, " + literal(column.name()) + ", 'MISSING VALUE', "
                            + literal(emptyReason(column.name())) + ", " + text + " FROM parsed WHERE " + name
                            + " IS NULL");
                    s.execute("DELETE FROM parsed WHERE " + name + " IS NULL");
                }
            }
        }
    }

    @Override
    public long rowsIn(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(*) FROM parsed") + rowsRejected(db);
    }

    @Override
    public long rowsRejected(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM reject_errors")
                + ChunkTransformer.count(db, "SELECT count(*) FROM missing");
    }

    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others) throws SQLException {
        List<String> allNotNull = notNull(true);
        String reason = allNotNull.isEmpty() ? "error_message"
                : "CASE WHEN column_name IN (" + String.join(", ", allNotNull) + ") AND error_type = 'CAST' "
                        + "AND trim(error_message) = 'Error when converting column \"' || column_name || '\".' "
                        + "THEN " + literal(emptyReason("")).replace("\"\"", "\"' || column_name || '\"")
                        + " ELSE error_message END";
        try (Statement s = db.createStatement()) {
            s.execute("COPY (SELECT line, column_name AS \"column\", error_type AS error, " + reason
                    + " AS reason, csv_line AS text FROM reject_errors UNION ALL SELECT * FROM missing "
                    + others.map(o -> "UNION ALL " + o + " ").orElse("")
                    + "ORDER BY line NULLS LAST) TO " + literal(rejects.toString()) + " (FORMAT json)");
        }
    }

    /** An empty field is always missing; a declared null string is missing too. */
    private String nullStrings() {
        return csv.nullString().isEmpty() ? "['']" : "['', " + literal(csv.nullString()) + "]";
    }

    private List<String> notNull(boolean includeStrings) {
        return columns.stream()
                .filter(c -> !c.nullable() && (includeStrings || !c.type().name().equals("string")))
                .map(c -> literal(c.name())).toList();
    }

    private static String emptyReason(String column) {
        return "column \"" + column + "\" is empty but declared \"nullable\": false";
    }
}
