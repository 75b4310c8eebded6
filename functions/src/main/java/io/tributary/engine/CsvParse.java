package io.tributary.engine;

import static io.tributary.definition.SqlText.identifier;
import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Column;
import io.tributary.definition.SourceFormat;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.SqlText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses a CSV chunk with the declared column types, as the view {@code parsed} (read once, by the statement
 * that runs the steps: see {@link #reading}), and sets aside the records that do not fit — with line and
 * reason — in DuckDB's {@code reject_errors} and the table {@code missing}; {@link #writeRejects} writes them
 * out as JSON lines, with any rows set aside later.
 */
final class CsvParse implements SourceParse {

    /** The records as read, for the one statement that reads them. */
    private static final String READ = ChunkTransformer.INTERNAL + "read";
    /** What the statement that reads the records sets aside, after the steps' rows. */
    private static final String ASIDE = ChunkTransformer.INTERNAL + "aside";
    /** DuckDB's default longest line. */
    private static final int MAX_HEADER_CHARS = 2_097_152;
    /** The longest record a CSV source may have; a longer one is rejected ("LINE SIZE OVER MAXIMUM"). */
    static final long MAX_RECORD_BYTES = JsonParse.MAX_LINE_BYTES;

    private final SourceFormat csv;
    private final SourceSchema schema;
    private final List<Column> columns;
    private Path source;
    private long rowsRead;
    private long missingRows;

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
        Optional<List<String>> header;
        try {
            header = headerFields(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (header.isEmpty()) {
            return;
        }
        List<String> found = header.get();
        if (!found.equals(declared)) {
            throw TransformFailedException.wrongFormat("the source's header names the columns " + found
                    + " but the " + (schema.origin().equals("inferred") ? "run inferred " : "definition declares ")
                    + declared + ", in that order; columns are read by position, so fix the definition's "
                    + "\"columns\" (or set \"header\": false for files without a header line, or \"schemaDrift\": "
                    + "\"ignore\" or \"evolve\" to match columns by name)", null);
        }
    }

    /**
     * The fields of the source's first record, stripped, as the reader splits them (the quote character quotes a
     * field and, doubled or after the escape character, stands for itself); empty for an empty source. Read here, it
     * costs one line, where DuckDB's sniffer would fill a buffer of the file first.
     */
    private Optional<List<String>> headerFields(Path source) throws IOException {
        char delimiter = csv.delimiter();
        char quote = csv.quote();
        char escape = csv.escape();
        try (Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(source),
                StandardCharsets.UTF_8), 8192)) {
            int c = reader.read();
            if (c == '\uFEFF') {
                c = reader.read();
            }
            if (c == -1) {
                return Optional.empty();
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int length = 0;
            while (true) {
                if (++length > MAX_HEADER_CHARS) {
                    throw new TransformFailedException("the source's header line cannot be read as CSV: it is longer "
                            + "than " + MAX_HEADER_CHARS + " characters", null);
                }
                if (quoted) {
                    if (c == -1) {
                        throw new TransformFailedException("the source's header line cannot be read as CSV: a quoted "
                                + "field is not closed", null);
                    }
                    if (c == escape && escape != quote) {
                        int next = reader.read();
                        if (next == quote || next == escape) {
                            field.append((char) next);
                            c = reader.read();
                            continue;
                        }
                        field.append((char) c);
                        c = next;
                        continue;
                    }
                    if (c == quote) {
                        c = reader.read();
                        if (c != quote) {
                            quoted = false;
                            continue;
                        }
                    }
                    field.append((char) c);
                } else if (c == -1 || c == '\n' || c == '\r') {
                    fields.add(field.toString().strip());
                    return Optional.of(fields);
                } else if (c == delimiter) {
                    fields.add(field.toString().strip());
                    field.setLength(0);
                } else if (c == quote) {
                    quoted = true;
                } else {
                    field.append((char) c);
                }
                c = reader.read();
            }
        }
    }

    @Override
    public void load(Connection db, Path source) throws SQLException {
        this.source = source;
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP VIEW parsed AS " + parsed("(" + read() + ")"));
        }
    }

    /**
     * Reads the source once, kept in {@link #READ} for the statement: the good records feed the steps as
     * {@code parsed}; after the steps' rows come, in the one column {@link #ASIDE} (a single column costs the
     * steps' rows least), each record missing a non-nullable string (the index of that column among them, the unit
     * separator, the record's values), then the count of records read.
     */
    @Override
    public String reading(String select) {
        List<Column> strings = notNullStrings();
        StringBuilder sql = new StringBuilder("WITH ").append(READ).append(" AS MATERIALIZED (").append(read())
                .append("), parsed AS (").append(parsed(READ)).append(") SELECT * FROM (").append(select).append(")");
        if (!strings.isEmpty()) {
            String text = columns.stream()
                    .map(c -> "coalesce(CAST(" + identifier(c.name()) + " AS VARCHAR), '')")
                    .collect(Collectors.joining(" || " + literal(String.valueOf(csv.delimiter())) + " || "));
            StringBuilder which = new StringBuilder("CASE");
            for (int i = 0; i < strings.size(); i++) {
                which.append(" WHEN ").append(identifier(strings.get(i).name())).append(" IS NULL THEN '")
                        .append(i).append("'");
            }
            sql.append(" UNION ALL BY NAME SELECT ").append(which).append(" END || chr(31) || ").append(text)
                    .append(" AS ").append(ASIDE).append(" FROM ").append(READ).append(" WHERE ")
                    .append(missing(strings));
        }
        return sql.append(" UNION ALL BY NAME SELECT count(*)::VARCHAR AS ").append(ASIDE).append(" FROM ")
                .append(READ).toString();
    }

    /**
     * Moves the records {@link #reading} set aside to the table {@code missing} with their reason and their
     * values (DuckDB gives no line for them), and notes the count of records read.
     */
    @Override
    public void settle(Connection db, String table) throws SQLException {
        List<Column> strings = notNullStrings();
        String separator = "strpos(" + ASIDE + ", chr(31))";
        try (Statement s = db.createStatement()) {
            if (!strings.isEmpty()) {
                StringBuilder column = new StringBuilder("CASE left(" + ASIDE + ", " + separator + " - 1)");
                StringBuilder reason = new StringBuilder(column);
                for (int i = 0; i < strings.size(); i++) {
                    String name = strings.get(i).name();
                    column.append(" WHEN '").append(i).append("' THEN ").append(literal(name));
                    reason.append(" WHEN '").append(i).append("' THEN ").append(literal(emptyReason(name)));
                }
                s.execute("CREATE TEMP TABLE missing AS SELECT NULL::BIGINT AS line, " + column + " END AS \"column\", "
                        + "'MISSING VALUE' AS error, " + reason + " END AS reason, substr(" + ASIDE + ", " + separator
                        + " + 1) AS text FROM " + table + " WHERE " + separator + " > 0");
            }
            rowsRead = ChunkTransformer.count(db, "SELECT CAST(" + ASIDE + " AS BIGINT) FROM " + table + " WHERE "
                    + separator + " = 0");
            s.execute("DELETE FROM " + table + " WHERE " + ASIDE + " IS NOT NULL");
            s.execute("ALTER TABLE " + table + " DROP COLUMN " + ASIDE);
            missingRows = strings.isEmpty() ? 0 : ChunkTransformer.count(db, "SELECT count(*) FROM missing");
        }
    }

    /** The records of the source, typed; each zoned timestamp's wall-clock value made the instant it names. */
    private String read() {
        String types = columns.stream()
                .map(c -> literal(c.name()) + ": " + literal(readType(c)))
                .collect(Collectors.joining(", ", "{", "}"));
        List<String> typedNotNull = notNull(false);
        StringBuilder read = new StringBuilder("SELECT *").append(timestamps())
                .append(" FROM read_csv(")
                .append(literal(source.toString()))
                .append(", columns = ").append(types)
                .append(", header = ").append(csv.header())
                .append(", delim = ").append(literal(String.valueOf(csv.delimiter())))
                .append(", quote = ").append(literal(String.valueOf(csv.quote())))
                .append(", escape = ").append(literal(String.valueOf(csv.escape())))
                .append(", nullstr = ").append(nullStrings())
                .append(csv.timestampFormat().map(f -> ", timestampformat = " + literal(f)).orElse(""))
                .append(csv.dateFormat().map(f -> ", dateformat = " + literal(f)).orElse(""))
                // DuckDB skips a record longer than its read buffer without listing it among the rejects: with the
                // longest record set (the buffer grows to match), a longer one is rejected with its line.
                .append(", max_line_size = ").append(MAX_RECORD_BYTES)
                .append(", compression = 'none', auto_detect = false, store_rejects = true, ignore_errors = true");
        if (!typedNotNull.isEmpty()) {
            // An empty value in a non-nullable typed column stays '' and so fails its type: rejected with its line.
            read.append(", force_not_null = [").append(String.join(", ", typedNotNull)).append("]");
        }
        return read.append(")").toString();
    }

    /**
     * The good records of {@code records}: without those missing a non-nullable string (a missing string parses as
     * NULL, not as an error), and without the columns the drift policy ignores.
     */
    private String parsed(String records) {
        List<Column> strings = notNullStrings();
        return "SELECT *" + (schema.ignored().isEmpty() ? "" : " EXCLUDE (" + schema.ignored().stream()
                .map(SqlText::identifier).collect(Collectors.joining(", ")) + ")") + " FROM " + records
                + (strings.isEmpty() ? "" : " WHERE NOT (" + missing(strings) + ")");
    }

    private static String missing(List<Column> strings) {
        return strings.stream().map(c -> identifier(c.name()) + " IS NULL").collect(Collectors.joining(" OR "));
    }

    /**
     * How a timestamp column is read. A UTC column reads ISO text as an instant, so an offset in it (+02:00) is
     * applied. A plain timestamp is wall-clock time, as SQL's TIMESTAMP is: an offset in its text is not applied.
     * A column in another zone reads wall-clock time there. A timestampFormat decides for itself ({@code %z}).
     */
    private String readType(Column column) {
        boolean instant = column.timeZone().filter(z -> z.equals("UTC")).isPresent() && csv.timestampFormat().isEmpty();
        return instant ? "TIMESTAMP WITH TIME ZONE" : column.type().sqlType();
    }

    /** The expression turning a zoned timestamp as read into the instant it names, or null when it is one. */
    private String fromRead(Column column) {
        if (column.timeZone().isEmpty() || readType(column).equals("TIMESTAMP WITH TIME ZONE")) {
            return null;
        }
        return "timezone(" + literal(column.timeZone().get()) + ", " + identifier(column.name()) + ") AS "
                + identifier(column.name());
    }

    /** Turns wall-clock values in a zone into the instants they name. */
    private String timestamps() {
        List<String> replaced = columns.stream().map(this::fromRead).filter(Objects::nonNull).toList();
        return replaced.isEmpty() ? "" : " REPLACE (" + String.join(", ", replaced) + ")";
    }

    @Override
    public void dropParsed(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP VIEW parsed");
        }
    }

    @Override
    public long rowsIn(Connection db) throws SQLException {
        return rowsRead + ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM reject_errors");
    }

    @Override
    public long rowsRejected(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM reject_errors") + missingRows;
    }

    /** The lines that do not parse, in line order, then the missing strings, then {@code others}, as read. */
    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset)
            throws SQLException {
        List<String> allNotNull = notNull(true);
        String reason = allNotNull.isEmpty() ? "error_message"
                : "CASE WHEN column_name IN (" + String.join(", ", allNotNull) + ") AND error_type = 'CAST' "
                        + "AND trim(error_message) = 'Error when converting column \"' || column_name || '\".' "
                        + "THEN " + literal(emptyReason("")).replace("\"\"", "\"' || column_name || '\"")
                        + " ELSE error_message END";
        try (Statement s = db.createStatement()) {
            s.execute("COPY (" + SourceParse.inSource("SELECT * FROM (SELECT line, column_name AS \"column\", "
                    + "error_type AS error, " + reason + " AS reason, csv_line AS text FROM reject_errors ORDER BY line, "
                    + "column_idx)" + (notNullStrings().isEmpty() ? "" : " UNION ALL SELECT * FROM missing")
                    + others.map(o -> " UNION ALL " + o).orElse(""), lineOffset) + ") TO "
                    + literal(rejects.toString()) + " (FORMAT json)");
        }
    }

    /** An empty field is always missing; a declared null string is missing too. */
    private String nullStrings() {
        return csv.nullString().isEmpty() ? "['']" : "['', " + literal(csv.nullString()) + "]";
    }

    private List<Column> notNullStrings() {
        return columns.stream().filter(c -> !c.nullable() && c.type().name().equals("string")).toList();
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
