package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.column.Column;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema;
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
 * Parses a chunk of JSON Lines (one object per line, which is also what {@link SourceDecoder} makes of the records
 * at a JSON document's {@code recordsPath}) or a JSON array of objects into the table {@code parsed}
 * with the declared column types, reading each column from the object's field of that name. A record that is
 * not a JSON object, or whose field does not convert to its column's type, is set aside in
 * {@code json_rejects} with its line (for an array, its position) and reason — never silently nulled.
 */
final class JsonParse implements SourceParse {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest line any JSON Lines source may have (a JSON string in a document, too). */
    static final long MAX_LINE_BYTES = ReaderBuffers.MAX_RECORD_BYTES;

    private final SourceFormat source;
    private final SourceSchema schema;
    private final List<Column> columns;

    /** The longest line and the read buffer. */
    private final ReaderBuffers buffers;
    private final boolean carriesRows;

    JsonParse(PipelineDefinition definition, SourceSchema schema, ReaderBuffers buffers) {
        this.buffers = buffers;
        this.carriesRows = ChunkTransformer.carriesRows(definition);
        this.source = definition.source();
        this.schema = schema;
        this.columns = schema.toColumns();
    }

    @Override
    public void load(Connection db, Path input) throws SQLException {
        String records = source.isJsonLines()
                // Each line as text, so a malformed one is kept with its line number rather than failing the file.
                ? "SELECT row_number() OVER () AS line, text FROM read_csv(" + literal(input.toString())
                        + ", columns = {'text': 'VARCHAR'}, header = false, auto_detect = false, delim = chr(31), "
                        + "compression = 'none', "
                        + "quote = '', escape = '', strict_mode = false" + buffers.readCsvOptions() + ")"
                : "SELECT row_number() OVER () AS line, json::VARCHAR AS text FROM read_json_objects("
                        + literal(input.toString()) + ", format = 'array', compression = 'none')";
        TypedValues typed = new TypedValues(source, schema, i -> columns.get(i).type().name().equals("json")
                ? "CASE WHEN t" + i + " IS NOT NULL THEN json_extract(doc, " + path(columns.get(i)) + ") END" : null);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            texts.add(text(columns.get(i)) + " AS t" + i);
        }
        try (Statement s = db.createStatement()) {
            try {
                // Each record is parsed once: doc is null for text that is not JSON. Blank lines are no records.
                s.execute("CREATE TEMP TABLE json_records AS SELECT line, text, TRY_CAST(text AS JSON) AS doc FROM ("
                        + records + ") WHERE text IS NOT NULL AND trim(text) <> ''");
            } catch (SQLException e) {
                Optional<String> line = lineProblem(String.valueOf(e.getMessage()));
                if (line.isPresent()) {
                    throw TransformFailedException.wrongFormat(line.get(), e);
                }
                throw TransformFailedException.wrongFormat("the source cannot be read as " + (source.isJsonLines()
                        ? "JSON Lines (one object per line, each under " + buffers.maxRecord() + ")"
                        : "a JSON array of objects") + ": " + ChunkTransformer.firstLine(e), e);
            }
            s.execute("CREATE TEMP TABLE json_rejects (line BIGINT, \"column\" VARCHAR, error VARCHAR, reason VARCHAR, "
                    + "text VARCHAR)");
            s.execute("INSERT INTO json_rejects SELECT line, NULL, 'MALFORMED', 'not a JSON object', text "
                    + "FROM json_records WHERE doc IS NULL OR json_type(doc) <> 'OBJECT'");
            checkFields(db);
            s.execute("CREATE TEMP TABLE json_typed AS SELECT * EXCLUDE (doc), " + typed.values() + " FROM (SELECT *, "
                    + typed.conversions() + " FROM (SELECT line, text, doc, " + String.join(", ", texts)
                    + " FROM json_records WHERE json_type(doc) = 'OBJECT'))");
            s.execute("CREATE TEMP TABLE json_bad AS SELECT line, unnest(list_filter(["
                    + String.join(", ", typed.failures()) + "], lambda c: c IS NOT NULL)) AS bad FROM json_typed");
            s.execute("INSERT INTO json_rejects SELECT line, bad, 'CAST', " + typed.refusal("bad") + ", text "
                    + "FROM json_bad JOIN json_typed USING (line)");
            List<String> named = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                named.add("v" + i + " AS " + identifier(columns.get(i).name()));
            }
            if (carriesRows) {
                named.add("line AS " + ChunkTransformer.ROW);
            }
            s.execute("CREATE TEMP TABLE parsed AS SELECT " + String.join(", ", named) + " FROM json_typed "
                    + "WHERE line NOT IN (SELECT line FROM json_bad) ORDER BY line");
            s.execute("DROP TABLE json_typed");
        }
    }

    /**
     * What DuckDB found wrong on a line of JSON Lines, said plainly (its message quotes the whole line, which may be
     * huge and holds the data): bytes that are not UTF-8, or a line longer than the reader takes.
     */
    Optional<String> lineProblem(String message) {
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("CSV Error on Line: (\\d+)").matcher(message);
        boolean found = at.find();
        String line = found ? " at line " + at.group(1) : "";
        if (message.contains("Invalid unicode")) {
            return Optional.of("the source is not valid UTF-8" + line + "; set \"encoding\" to the character set it "
                    + "is written in, or fix the bytes there");
        }
        if (message.contains("Maximum line size")) {
            return Optional.of((found ? "line " + at.group(1) : "a line") + " is longer than " + buffers.maxRecord() + ", the most a "
                    + "JSON Lines record may have");
        }
        return Optional.empty();
    }

    /**
     * Fields the run does not read fail the chunk, unless the policy ignores them: under {@code fail} a field
     * the definition does not declare, under {@code evolve} (or with inferred columns) one that first appears
     * after the sample the run's columns were taken from.
     */
    private void checkFields(Connection db) throws SQLException {
        if (schema.policy().equals("ignore") && schema.origin().equals("declared")) {
            return;
        }
        List<String> unread = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT k FROM (SELECT "
                + "unnest(json_keys(doc)) AS k FROM json_records WHERE json_type(doc) = 'OBJECT') WHERE k NOT IN ("
                + columns.stream()
                .map(c -> literal(c.name())).collect(Collectors.joining(", ")) + ") ORDER BY k LIMIT 20")) {
            while (rs.next()) {
                unread.add(rs.getString(1));
            }
        }
        if (unread.isEmpty()) {
            return;
        }
        String fields = String.join(", ", unread);
        throw new TransformFailedException(schema.origin().equals("declared") && schema.policy().equals("fail")
                ? "the source has fields the definition does not declare: " + fields + "; declare them in "
                        + "\"columns\", or set \"schemaDrift\" to \"ignore\" (drop them) or \"evolve\" (add them)"
                : "the source has fields that first appear after the sample the run took its columns from: " + fields
                        + "; declare them in \"columns\"", null);
    }

    /**
     * The text of a column's field. DuckDB reads a JSON number with a fraction as a double, and prints it back as the
     * shortest text of that double: {@code 1.50} as {@code 1.5}, and a number with more digits than a double holds
     * (a decimal from a database, say) rounded. Such a number's text is taken from the record as written instead: the
     * field's number, checked against the double it was read as.
     */
    private static String text(Column column) {
        String extracted = "json_extract_string(doc, " + path(column) + ")";
        if (column.type().name().equals("json")) {
            return extracted;
        }
        String key;
        try {
            key = JSON.writeValueAsString(column.name()).replaceAll("[^\\w\\s]", "\\\\$0");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String written = "regexp_extract(text, " + literal(key + "\\s*:\\s*(-?[0-9][0-9.eE+-]*)") + ", 1)";
        return "CASE WHEN json_type(doc, " + path(column) + ") = 'DOUBLE' THEN coalesce(CASE WHEN TRY_CAST(" + written
                + " AS DOUBLE) = json_extract(doc, " + path(column) + ")::DOUBLE THEN " + written + " END, " + extracted
                + ") ELSE " + extracted + " END";
    }

    /** The JSON path of a column's field. */
    private static String path(Column column) {
        return literal("$." + identifier(column.name()));
    }

    @Override
    public long rowsIn(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(*) FROM json_records");
    }

    @Override
    public long rowsRejected(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM json_rejects");
    }

    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset)
            throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("COPY (" + SourceParse.inSource("SELECT * FROM json_rejects " + others.map(o -> "UNION ALL "
                    + "SELECT o.row, o.\"column\", o.error, o.reason, coalesce(r.text, o.text) FROM (" + o + ") o "
                    + "LEFT JOIN json_records r ON r.line = o.row ").orElse("") + "ORDER BY line NULLS LAST", lineOffset)
                    + ") TO " + literal(rejects.toString()) + " (FORMAT json)");
        }
    }
}
