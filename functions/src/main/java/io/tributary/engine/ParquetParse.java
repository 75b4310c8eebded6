package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.column.Column;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a Parquet file into the table {@code parsed}, matching its columns to the run's by name (case-insensitive,
 * in any order). A declared column the file lacks fails the chunk with the file's columns; so does a column the file
 * has beyond them, unless the drift policy ignores it. A value that does not convert to its column's type (text that
 * is not a number, say) rejects its row, with the row's number in the file (from 1) and reason.
 */
final class ParquetParse implements SourceParse {

    private final SourceFormat source;
    private final SourceSchema schema;
    private final List<Column> columns;
    private final boolean carriesRows;
    /** The source, as read: set by {@link #load}. */
    private String file;
    /** A row of the source as JSON, over the source's columns: set by {@link #load}. */
    private String record;

    ParquetParse(PipelineDefinition definition, SourceSchema schema) {
        this.carriesRows = ChunkTransformer.carriesRows(definition);
        this.source = definition.source();
        this.schema = schema;
        this.columns = schema.toColumns();
    }

    @Override
    public void load(Connection db, Path input) throws SQLException {
        String file = "read_parquet(" + literal(input.toString()) + ", file_row_number = true)";
        Map<String, String> found = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + file)) {
            while (rs.next()) {
                found.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        } catch (SQLException e) {
            throw TransformFailedException.wrongFormat("the source cannot be read as Parquet: "
                    + ChunkTransformer.withoutPath(ChunkTransformer.firstLine(e), input)
                    + "; check the file, or the source's \"format\"", e);
        }
        found.remove("file_row_number");
        Map<String, String> byLowerName = new LinkedHashMap<>();
        found.keySet().forEach(n -> byLowerName.put(n.toLowerCase(Locale.ROOT), n));
        checkColumns(found, byLowerName);
        List<String> rawTypes = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        List<String> named = new ArrayList<>();
        String row = found.keySet().stream().map(n -> literal(n) + ": " + identifier(n))
                .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        this.file = file;
        this.record = "to_json(" + row + ")::VARCHAR";
        for (int i = 0; i < columns.size(); i++) {
            String name = byLowerName.get(columns.get(i).name().toLowerCase(Locale.ROOT));
            rawTypes.add(found.get(name).toUpperCase(Locale.ROOT));
            raws.add(identifier(name) + " AS t" + i);
            named.add("v" + i + " AS " + identifier(columns.get(i).name()));
        }
        TypedValues typed = new TypedValues(source, schema, i -> columns.get(i).type().name().equals("json")
                ? "to_json(t" + i + ")" : zoned(columns.get(i), rawTypes.get(i), "t" + i), rawTypes::get);
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE parquet_typed AS SELECT *, " + typed.values() + " FROM (SELECT *, "
                    + typed.conversions() + " FROM (SELECT file_row_number + 1 AS line, " + record + " AS text, " + String.join(", ", raws) + " FROM " + file + "))");
            s.execute("CREATE TEMP TABLE parquet_bad AS SELECT line, unnest(list_filter(["
                    + String.join(", ", typed.failures()) + "], lambda c: c IS NOT NULL)) AS bad FROM parquet_typed");
            s.execute("CREATE TEMP TABLE parquet_rejects AS SELECT line, bad AS \"column\", 'CAST' AS error, "
                    + typed.refusal("bad") + " AS reason, text FROM parquet_bad JOIN parquet_typed USING (line)");
            if (carriesRows) {
                named.add("line AS " + ChunkTransformer.ROW);
            }
            s.execute("CREATE TEMP TABLE parsed AS SELECT " + String.join(", ", named) + " FROM parquet_typed "
                    + "WHERE line NOT IN (SELECT line FROM parquet_bad) ORDER BY line");
            s.execute("CREATE TEMP TABLE parquet_count AS SELECT count(*) AS n FROM parquet_typed");
            s.execute("DROP TABLE parquet_typed");
        }
    }

    /** The run's columns must all be in the file; the file's others are allowed only where the policy ignores them. */
    private void checkColumns(Map<String, String> found, Map<String, String> byLowerName) {
        List<String> missing = new ArrayList<>();
        for (Column column : columns) {
            if (!byLowerName.containsKey(column.name().toLowerCase(Locale.ROOT))) {
                missing.add(column.name() + Suggestions.didYouMean(column.name(), found.keySet())
                        .replace("; did you mean", " (did you mean").replace("?", "?)"));
            }
        }
        if (!missing.isEmpty()) {
            throw TransformFailedException.wrongFormat("the Parquet source has no column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + "; its columns are " + String.join(", ", found.keySet())
                    + "; declare only columns the file has (its columns are matched by name)", null);
        }
        if (schema.policy().equals("ignore") && schema.origin().equals("declared")) {
            return;
        }
        List<String> read = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        List<String> unread = found.keySet().stream().filter(n -> !read.contains(n.toLowerCase(Locale.ROOT))).toList();
        if (!unread.isEmpty()) {
            throw TransformFailedException.wrongFormat("the Parquet source has columns the " + (schema.origin().equals(
                    "declared") ? "definition does not declare" : "run did not infer") + ": " + String.join(", ", unread)
                    + "; declare them in \"columns\", or set \"schemaDrift\" to \"ignore\" (drop them) or \"evolve\" "
                    + "(add them)", null);
        }
    }

    /**
     * A zoned timestamp column's value from a file's typed value: an instant is kept; a plain timestamp is taken as
     * wall-clock time in the column's zone. Null (the general conversion) for every other column and type.
     */
    private static String zoned(Column column, String fileType, String raw) {
        if (!column.type().name().equals("timestamp") || column.timeZone().isEmpty() || fileType.equals("VARCHAR")) {
            return null;
        }
        return fileType.equals("TIMESTAMP WITH TIME ZONE") || column.timeZone().get().equals("UTC")
                ? "TRY_CAST(" + raw + " AS TIMESTAMP WITH TIME ZONE)"
                : "timezone(" + literal(column.timeZone().get()) + ", TRY_CAST(" + raw + " AS TIMESTAMP))";
    }

    @Override
    public long rowsIn(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT n FROM parquet_count");
    }

    @Override
    public long rowsRejected(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(DISTINCT line) FROM parquet_rejects");
    }

    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset)
            throws SQLException {
        others = SourceParse.settled(db, others);
        try (Statement s = db.createStatement()) {
            s.execute("COPY (" + SourceParse.inSource("SELECT * FROM parquet_rejects " + others.map(o -> "UNION ALL "
                    + "SELECT o.row, o.\"column\", o.error, o.reason, coalesce(r.text, o.text) FROM (" + o + ") o "
                    + "LEFT JOIN (SELECT file_row_number + 1 AS line, " + record + " AS text FROM " + file + " WHERE "
                    + "file_row_number + 1 IN (SELECT row FROM (" + o + "))) r ON r.line = o.row ").orElse("")
                    + "ORDER BY line NULLS LAST", lineOffset) + ") TO " + literal(rejects.toString()) + " (FORMAT json)");
        }
    }
}
