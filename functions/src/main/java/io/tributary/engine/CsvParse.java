package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.column.Column;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses a CSV chunk with the declared column types, as the view {@code parsed} (read once, by the statement
 * that runs the steps: see {@link #reading}), and sets aside the records that do not fit — with line and
 * reason — in DuckDB's {@code reject_errors} and the table {@code missing}; {@link #writeRejects} writes them
 * out as JSON lines, with any rows set aside later.
 */
final class CsvParse implements SourceParse {

    /** The JSON writer of the records set aside. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A record's number among those read, from 1 in file order: the row's {@link ChunkTransformer#ROW}. */
    private static final String RECORD = ChunkTransformer.ROW;
    /** The first column of a record whose value failed, null for a good record. */
    private static final String BAD = ChunkTransformer.INTERNAL + "bad";
    private static final String KIND = ChunkTransformer.INTERNAL + "kind";
    private static final String WHY = ChunkTransformer.INTERNAL + "why";
    /** The records as read, for the one statement that reads them. */
    private static final String READ = ChunkTransformer.INTERNAL + "read";
    /** What the statement that reads the records sets aside, after the steps' rows. */
    private static final String ASIDE = ChunkTransformer.INTERNAL + "aside";
    /** How many records share one count of the lines before them that hold none ({@link #withSourceLines}). */
    private static final int LINE_BLOCK = 16;
    /** DuckDB's default longest line. */
    private static final int MAX_HEADER_CHARS = 2_097_152;

    private final SourceFormat csv;
    private final SourceSchema schema;
    private final List<Column> columns;
    private final TypedValues typed;
    /** The longest record (a longer one is rejected: "LINE SIZE OVER MAXIMUM") and the read buffer. */
    private final ReaderBuffers buffers;
    private final boolean carriesRows;
    private Path source;
    private long rowsRead;
    private long asideRows;

    CsvParse(PipelineDefinition definition, SourceSchema schema, ReaderBuffers buffers) {
        this.buffers = buffers;
        this.carriesRows = ChunkTransformer.carriesRows(definition);
        this.csv = definition.source();
        this.schema = schema;
        this.columns = schema.toColumns();
        this.typed = new TypedValues(csv, schema, i -> null).absentCalled("empty");
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
     * steps' rows least), each record with a value that failed (its number among the records read, the column, the
     * kind of failure and the reason, split by the unit separator), then the count of records read.
     */
    @Override
    public String reading(String select) {
        String separator = " || chr(31) || ";
        return "WITH " + READ + " AS MATERIALIZED (" + read() + "), parsed AS (" + parsed(READ) + ") SELECT * FROM ("
                + select + ") UNION ALL BY NAME SELECT " + RECORD + "::VARCHAR" + separator + BAD + separator + KIND
                + separator + WHY + " AS " + ASIDE + " FROM " + READ + " WHERE " + BAD + " IS NOT NULL"
                + " UNION ALL BY NAME SELECT count(*)::VARCHAR AS " + ASIDE + " FROM " + READ;
    }

    /**
     * Moves the records {@link #reading} set aside to the table {@code aside} with their number and reason, and
     * notes the count of records read.
     */
    @Override
    public void settle(Connection db, String table) throws SQLException {
        String parts = "string_split(" + ASIDE + ", chr(31))";
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE aside AS SELECT CAST(" + parts + "[1] AS BIGINT) AS record, " + parts
                    + "[2] AS \"column\", " + parts + "[3] AS error, array_to_string(" + parts + "[4:], chr(31)) AS reason "
                    + "FROM " + table + " WHERE strpos(" + ASIDE + ", chr(31)) > 0");
            rowsRead = ChunkTransformer.count(db, "SELECT CAST(" + ASIDE + " AS BIGINT) FROM " + table + " WHERE "
                    + ASIDE + " IS NOT NULL AND strpos(" + ASIDE + ", chr(31)) = 0");
            s.execute("DELETE FROM " + table + " WHERE " + ASIDE + " IS NOT NULL");
            s.execute("ALTER TABLE " + table + " DROP COLUMN " + ASIDE);
            asideRows = ChunkTransformer.count(db, "SELECT count(*) FROM aside");
        }
    }

    /**
     * The records of the source, each value read as text and typed without loss ({@link TypedValues}): with the
     * record's number among those read, its values, and, for a record with a value that failed, the first such
     * column, the kind of failure and the reason.
     */
    private String read() {
        String types = columns.stream()
                .map(c -> literal(c.name()) + ": 'VARCHAR'")
                .collect(Collectors.joining(", ", "{", "}"));
        StringBuilder reader = new StringBuilder("read_csv(")
                .append(literal(source.toString()))
                .append(", columns = ").append(types)
                .append(", header = ").append(csv.header())
                .append(", delim = ").append(literal(String.valueOf(csv.delimiter())))
                .append(", quote = ").append(literal(String.valueOf(csv.quote())))
                .append(", escape = ").append(literal(String.valueOf(csv.escape())))
                .append(", nullstr = ").append(nullStrings())
                // Quoted text is text: a quoted empty field is the empty string, a quoted null string that text.
                .append(", allow_quoted_nulls = false")
                // DuckDB skips a record longer than its read buffer without listing it among the rejects: with the
                // longest record set (the buffer grows to match), a longer one is rejected with its line.
                .append(buffers.readCsvOptions())
                .append(", compression = 'none', auto_detect = false, store_rejects = true, ignore_errors = true)");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String raw = identifier(column.name());
            // Only a string holds an empty text (a quoted empty field, unless quotedEmpty makes it missing); in any
            // other column an empty field, quoted or not, is missing.
            boolean keepsEmpty = column.type().name().equals("string") && csv.quotedEmpty().equals("string");
            texts.add((keepsEmpty ? raw : "NULLIF(" + raw + ", '')") + " AS t" + i);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            values.add("v" + i);
        }
        return "SELECT " + RECORD + ", " + String.join(", ", values) + ", " + BAD + ", CASE WHEN " + BAD
                + " IS NOT NULL THEN " + typed.kind(BAD) + " END AS " + KIND + ", CASE WHEN " + BAD + " IS NOT NULL THEN "
                + typed.refusal(BAD) + " END AS " + WHY + " FROM (SELECT *, coalesce(" + String.join(", ",
                typed.failures()) + ") AS " + BAD + " FROM (SELECT *, " + typed.values() + " FROM (SELECT *, "
                + typed.conversions() + " FROM (SELECT row_number() OVER () AS " + RECORD + ", " + String.join(", ", texts)
                + " FROM " + reader + "))))";
    }

    /** The good records of {@code records}, named, without the columns the drift policy ignores. */
    private String parsed(String records) {
        List<String> named = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!schema.ignored().contains(columns.get(i).name())) {
                named.add("v" + i + " AS " + identifier(columns.get(i).name()));
            }
        }
        if (carriesRows) {
            named.add(RECORD);
        }
        return "SELECT " + String.join(", ", named) + " FROM " + records + " WHERE " + BAD + " IS NULL";
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
        return ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM reject_errors") + asideRows;
    }

    /**
     * The lines that do not parse, and the records set aside, with their line and text as written, in line order;
     * then {@code others}, each with its record's line and text where it has one.
     */
    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset)
            throws SQLException {
        others = SourceParse.settled(db, others);
        Path found = rejects.resolveSibling("rejected-records.jsonl");
        locate(db, "SELECT record FROM aside" + others.map(o -> " UNION SELECT row FROM (" + o + ") WHERE row IS NOT NULL")
                .orElse(""), found);
        try (Statement s = db.createStatement()) {
            s.execute("COPY (" + SourceParse.inSource("SELECT * FROM (SELECT line, column_name AS \"column\", "
                    + "error_type AS error, error_message AS reason, csv_line AS text FROM reject_errors UNION ALL "
                    + "SELECT line, \"column\", error, reason, text FROM aside JOIN rejected_records USING (record) "
                    + "ORDER BY line)" + others.map(o -> " UNION ALL SELECT r.line, o.\"column\", o.error, o.reason, "
                    + "coalesce(r.text, o.text) FROM (" + o + ") o LEFT JOIN rejected_records r ON r.record = o.row")
                    .orElse(""), lineOffset) + ") TO " + literal(rejects.toString()) + " (FORMAT json)");
        }
    }

    /**
     * Finds the line and text of the records {@code numbers} (a query) lists, as the table {@code rejected_records}:
     * one pass over the chunk ({@link CsvRecords}), up to the last of them.
     */
    private void locate(Connection db, String numbers, Path found) throws SQLException {
        long[] wanted = longs(db, "SELECT DISTINCT * FROM (" + numbers + ") ORDER BY 1");
        try (Writer out = Files.newBufferedWriter(found, StandardCharsets.UTF_8)) {
            new CsvRecords(csv).scan(source, wanted, rejectedLines(db), false, (number, line, text) -> {
                out.write(JSON.writeValueAsString(Map.of("record", number, "line", line, "text", text)));
                out.write('\n');
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE rejected_records AS SELECT * FROM read_json(" + literal(found.toString())
                    + ", columns = {'record': 'BIGINT', 'line': 'BIGINT', 'text': 'VARCHAR'}, format = "
                    + "'newline_delimited')");
        }
    }

    /**
     * Each row's record number made its line in the source: the record's number plus the lines before it that the
     * reader returned no record for (header, blank lines, lines it rejected), found in one pass over the chunk.
     */
    @Override
    public String withSourceLines(Connection db, String table, long lineOffset) throws SQLException {
        // The k-th line the reader returned no record for, s, comes after s - k records: a record numbered r is on
        // line r + (the number of such lines with s - k < r). Counted per block of records, so rows meet their
        // block's count in a hash join, not a sort.
        Path gaps = source.resolveSibling("line-gaps.csv");
        try (Writer out = Files.newBufferedWriter(gaps, StandardCharsets.UTF_8)) {
            long[] k = {0};
            new CsvRecords(csv).scan(source, new long[0], rejectedLines(db), true, new CsvRecords.Visitor() {
                @Override
                public void record(long number, long line, String text) {
                }

                @Override
                public void skipped(long line) throws IOException {
                    out.write(Long.toString(line - ++k[0]));
                    out.write('\n');
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE line_gaps AS SELECT after, after // " + LINE_BLOCK + " AS block FROM read_csv("
                    + literal(gaps.toString()) + ", columns = {'after': 'BIGINT'}, header = false, auto_detect = false)");
            s.execute("CREATE TEMP TABLE line_blocks AS SELECT b.block, coalesce(sum(coalesce(g.gaps, 0)) OVER (ORDER BY "
                    + "b.block ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, coalesce(g.afters, []) AS "
                    + "afters FROM (SELECT range AS block FROM range(0, (SELECT coalesce(max(" + RECORD + "), 0) FROM "
                    + table + ") // " + LINE_BLOCK + " + 1)) b LEFT JOIN (SELECT block, count(*) AS gaps, list(after) AS "
                    + "afters FROM line_gaps GROUP BY block) g USING (block)");
        }
        return "(SELECT t.* REPLACE (t." + RECORD + " + b.before + CASE WHEN len(b.afters) = 0 THEN 0 ELSE "
                + "len(list_filter(b.afters, lambda a: a < t." + RECORD + ")) END + " + lineOffset + " AS " + RECORD + ") FROM " + table + " t JOIN line_blocks b ON b.block = t."
                + RECORD + " // " + LINE_BLOCK + ")";
    }

    /** The lines the reader rejected itself, in order. */
    private static long[] rejectedLines(Connection db) throws SQLException {
        return longs(db, "SELECT DISTINCT line FROM reject_errors ORDER BY line");
    }

    private static long[] longs(Connection db, String query) throws SQLException {
        long[] values = new long[16];
        int count = 0;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                if (count == values.length) {
                    values = java.util.Arrays.copyOf(values, count * 2);
                }
                values[count++] = rs.getLong(1);
            }
        }
        return java.util.Arrays.copyOf(values, count);
    }

    /** An empty field is always missing; a declared null string is missing too. */
    private String nullStrings() {
        return csv.nullString().isEmpty() ? "['']" : "['', " + literal(csv.nullString()) + "]";
    }
}
