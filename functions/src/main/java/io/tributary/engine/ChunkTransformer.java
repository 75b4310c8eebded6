package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.PipelineDefinition;
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

/**
 * Applies a pipeline definition to one chunk of CSV on an embedded DuckDB: parse with the declared
 * types (rows that do not parse are rejected with line and reason), run the steps, write Parquet.
 *
 * <p>Each call opens its own in-memory database, limited to {@link EngineLimits}, spilling to and
 * reading from nothing but {@code workDir}, with its configuration locked before any data is read.
 */
public final class ChunkTransformer {

    /** The names of the columns the engine adds (flags, split) start with this; the written rows carry none. */
    static final String INTERNAL = "__tributary_";

    private static final String CHECKED = "checked";

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
        Path rejects = work.resolve("rejects.jsonl");
        try {
            Files.createDirectories(work.resolve("spill"));
            Class.forName("org.duckdb.DuckDBDriver");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
                sandbox(db, work);
                CsvParse csv = new CsvParse(definition);
                csv.checkHeader(db, source);
                csv.load(db, source);
                long rowsIn = csv.rowsIn(db);
                String query = stepsQuery(definition);
                ExpectationRun expectations = new ExpectationRun(definition.expectations());
                PartWriter writer = new PartWriter(db, work, definition);
                List<String> computed = new ArrayList<>(expectations.flagColumns());
                writer.splitColumn().ifPresent(computed::add);
                try {
                    check(db, query, computed);
                } catch (SQLException e) {
                    throw new TransformFailedException("a step failed on this data: " + firstLine(e), e);
                }
                List<OutputColumn> schema = schema(db, query);
                csv.dropParsed(db);
                String kept = expectations.judge(db, CHECKED);
                List<ChunkOutput.Part> parts = writer.write(kept);
                csv.writeRejects(db, rejects, expectations.droppedRecords(CHECKED));
                long written = parts.stream().mapToLong(ChunkOutput.Part::rows).sum();
                return new ChunkOutput(rowsIn, written, csv.rowsRejected(db) + expectations.rowsDropped(), parts,
                        rejects, schema, expectations.results(),
                        parts.isEmpty() ? List.of() : Statistics.of(db, kept, schema));
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
            // This rewrite turns a dedupe (QUALIFY row_number() ... = 1) after another step into arg_max over a
            // struct of the whole row: about 3x faster than the window's sort when keys repeat a lot, but 3-4x
            // slower when they are nearly unique (1M rows: 1.0 s against 0.3 s). The sort's cost stays predictable.
            s.execute("SET disabled_optimizers='top_n_window_elimination'");
            s.execute("SET allowed_directories=[" + literal(work + "/") + "]");
            s.execute("SET enable_external_access=false");
            s.execute("SET lock_configuration=true");
        }
    }

    /**
     * Runs the steps once, keeping their rows in the table {@link #CHECKED} with the {@code computed} columns
     * (expectation flags, the split): counting, writing and summarizing then scan it instead of running the steps
     * again, and the parsed rows can go.
     */
    private static void check(Connection db, String query, List<String> computed) throws SQLException {
        execute(db, "CREATE TEMP TABLE " + CHECKED + " AS SELECT *" + (computed.isEmpty() ? "" : ", "
                + String.join(", ", computed)) + " FROM (" + query + ")");
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

    private static List<OutputColumn> schema(Connection db, String query) throws SQLException {
        List<OutputColumn> columns = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
            while (rs.next()) {
                columns.add(new OutputColumn(rs.getString("column_name"), rs.getString("column_type")));
            }
        }
        return columns;
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
