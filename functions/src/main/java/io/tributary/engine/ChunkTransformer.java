package io.tributary.engine;

import io.tributary.definition.Column;
import io.tributary.definition.CsvFormat;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.SelectStep;
import io.tributary.definition.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies a pipeline definition to one chunk of CSV on an embedded DuckDB: parse with the declared
 * types (rows that do not parse are rejected with line and reason), run the steps, write Parquet.
 *
 * <p>Each call opens its own in-memory database, limited to {@link EngineLimits}, spilling to and
 * reading from nothing but {@code workDir}, with its configuration locked before any data is read.
 */
public final class ChunkTransformer {

    private final EngineLimits limits;

    public ChunkTransformer(EngineLimits limits) {
        this.limits = limits;
    }

    /**
     * Transforms {@code input} (which must lie inside {@code workDir}) into
     * {@code workDir/part.parquet} and {@code workDir/rejects.jsonl}.
     *
     * @throws TransformFailedException when a step cannot run on this data
     */
    public ChunkOutput transform(PipelineDefinition definition, Path input, Path workDir) {
        Path work = workDir.toAbsolutePath().normalize();
        Path source = input.toAbsolutePath().normalize();
        if (!source.startsWith(work)) {
            throw new IllegalArgumentException(source + " is outside the working directory " + work);
        }
        Path parquet = work.resolve("part.parquet");
        Path rejects = work.resolve("rejects.jsonl");
        try {
            Files.createDirectories(work.resolve("spill"));
            Class.forName("org.duckdb.DuckDBDriver");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
                sandbox(db, work);
                checkHeader(db, definition, source);
                parse(db, definition, source);
                String query = stepsQuery(definition);
                try (Statement statement = db.createStatement()) {
                    statement.execute("COPY (" + query + ") TO " + literal(parquet.toString())
                            + " (FORMAT parquet, COMPRESSION " + definition.compression() + ")");
                } catch (SQLException e) {
                    throw new TransformFailedException("a step failed on this data: " + firstLine(e), e);
                }
                writeRejects(db, definition, rejects);
                long accepted = count(db, "SELECT count(*) FROM parsed");
                long rejected = count(db, "SELECT count(DISTINCT line) FROM reject_errors")
                        + count(db, "SELECT count(*) FROM missing");
                long written = count(db, "SELECT count(*) FROM read_parquet(" + literal(parquet.toString()) + ")");
                return new ChunkOutput(accepted + rejected, written, rejected, parquet, rejects, schema(db, query));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed: " + firstLine(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        }
    }

    private void sandbox(Connection db, Path work) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("SET memory_limit=" + literal(limits.memoryLimit()));
            s.execute("SET threads=" + limits.threads());
            s.execute("SET temp_directory=" + literal(work.resolve("spill").toString()));
            s.execute("SET preserve_insertion_order=true");
            s.execute("SET allowed_directories=[" + literal(work + "/") + "]");
            s.execute("SET enable_external_access=false");
            s.execute("SET lock_configuration=true");
        }
    }

    private static void parse(Connection db, PipelineDefinition definition, Path source) throws SQLException {
        CsvFormat csv = definition.csv();
        String columns = definition.columns().stream()
                .map(c -> literal(c.name()) + ": " + literal(c.type().sqlType()))
                .collect(Collectors.joining(", ", "{", "}"));
        List<String> notNull = definition.columns().stream()
                .filter(c -> !c.nullable() && !c.type().name().equals("string"))
                .map(c -> literal(c.name())).toList();
        StringBuilder read = new StringBuilder("CREATE TEMP TABLE parsed AS SELECT * FROM read_csv(")
                .append(literal(source.toString()))
                .append(", columns = ").append(columns)
                .append(", header = ").append(csv.header())
                .append(", delim = ").append(literal(String.valueOf(csv.delimiter())))
                .append(", quote = ").append(literal(String.valueOf(csv.quote())))
                .append(", escape = ").append(literal(String.valueOf(csv.quote())))
                .append(", nullstr = ").append(literal(csv.nullString()))
                .append(", auto_detect = false, store_rejects = true, ignore_errors = true");
        if (!notNull.isEmpty()) {
            // An empty value in a non-nullable column stays '' and so fails its type: rejected with its line.
            read.append(", force_not_null = [").append(String.join(", ", notNull)).append("]");
        }
        read.append(")");
        try (Statement s = db.createStatement()) {
            s.execute(read.toString());
        }
        // A missing value in a non-nullable string column parses as NULL: set the row aside with its reason.
        String text = definition.columns().stream()
                .map(c -> "coalesce(CAST(" + SelectStep.quote(c.name()) + " AS VARCHAR), '')")
                .collect(Collectors.joining(" || " + literal(String.valueOf(csv.delimiter())) + " || "));
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE missing (line BIGINT, \"column\" VARCHAR, error VARCHAR, reason VARCHAR, text VARCHAR)");
            for (Column column : definition.columns()) {
                if (!column.nullable() && column.type().name().equals("string")) {
                    String name = SelectStep.quote(column.name());
                    s.execute("INSERT INTO missing SELECT NULL, " + literal(column.name()) + ", 'MISSING VALUE', "
                            + literal("column \"" + column.name() + "\" is empty but declared \"nullable\": false")
                            + ", " + text + " FROM parsed WHERE " + name + " IS NULL");
                    s.execute("DELETE FROM parsed WHERE " + name + " IS NULL");
                }
            }
        }
    }

    /**
     * Columns are read by position: a header that names other columns, or the same in another order,
     * would put values under the wrong names, so it fails the chunk instead.
     */
    private static void checkHeader(Connection db, PipelineDefinition definition, Path source) throws SQLException {
        CsvFormat csv = definition.csv();
        if (!csv.header()) {
            return;
        }
        List<String> declared = definition.columns().stream().map(Column::name).toList();
        List<String> found = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM read_csv("
                + literal(source.toString()) + ", header = false, all_varchar = true, auto_detect = true"
                + ", delim = " + literal(String.valueOf(csv.delimiter()))
                + ", quote = " + literal(String.valueOf(csv.quote())) + ", null_padding = true) LIMIT 1")) {
            if (!rs.next()) {
                return;
            }
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getString(i);
                found.add(name == null ? "" : name.strip());
            }
        } catch (SQLException e) {
            throw new TransformFailedException("the source's header line cannot be read as CSV: " + firstLine(e), e);
        }
        if (!found.equals(declared)) {
            throw new TransformFailedException("the source's header names the columns " + found
                    + " but the definition declares " + declared + ", in that order; columns are read by "
                    + "position, so fix the definition's \"columns\" (or set \"header\": false for files "
                    + "without a header line)", null);
        }
    }

    private static String stepsQuery(PipelineDefinition definition) {
        List<Step> steps = definition.steps();
        if (steps.isEmpty()) {
            return "SELECT * FROM parsed";
        }
        List<String> ctes = new ArrayList<>();
        String previous = "parsed";
        for (int i = 0; i < steps.size(); i++) {
            String name = "step_" + i;
            ctes.add(name + " AS (" + steps.get(i).toSql(previous) + ")");
            previous = name;
        }
        return "WITH " + String.join(", ", ctes) + " SELECT * FROM " + previous;
    }

    private static void writeRejects(Connection db, PipelineDefinition definition, Path rejects) throws SQLException {
        List<String> notNull = definition.columns().stream().filter(c -> !c.nullable()).map(c -> literal(c.name())).toList();
        String emptyReason = notNull.isEmpty() ? "error_message"
                : "CASE WHEN column_name IN (" + String.join(", ", notNull) + ") AND error_type = 'CAST' "
                        + "AND trim(error_message) = 'Error when converting column \"' || column_name || '\".' "
                        + "THEN 'column \"' || column_name || '\" is empty but declared \"nullable\": false' "
                        + "ELSE error_message END";
        try (Statement s = db.createStatement()) {
            s.execute("COPY (SELECT line, column_name AS \"column\", error_type AS error, " + emptyReason
                    + " AS reason, csv_line AS text FROM reject_errors UNION ALL SELECT * FROM missing "
                    + "ORDER BY line NULLS LAST) TO "
                    + literal(rejects.toString()) + " (FORMAT json)");
        }
    }

    private static List<OutputColumn> schema(Connection db, String query) throws SQLException {
        List<OutputColumn> columns = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
            while (rs.next()) {
                columns.add(new OutputColumn(rs.getString("column_name"), rs.getString("column_type")));
            }
        }
        return columns;
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A SQL string literal. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
