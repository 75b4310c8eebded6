package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.LookupStep;
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
import java.util.Map;

/**
 * Applies a pipeline definition to one chunk of its source on an embedded DuckDB: parse with the declared
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
        return transform(definition, SourceSchema.declared(definition), input, Map.of(), workDir);
    }

    /**
     * Transforms {@code input} as {@link #transform(PipelineDefinition, Path, Path)} does, reading the run's
     * columns {@code schema}, and joining each {@code lookup} step's reference from {@code references} (by
     * {@link LookupStep#table()}; each file inside {@code workDir}).
     */
    public ChunkOutput transform(PipelineDefinition definition, SourceSchema schema, Path input,
                                 Map<String, Path> references, Path workDir) {
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
                SourceParse parse = SourceParse.of(definition, schema);
                parse.check(db, source);
                parse.load(db, source);
                loadLookups(db, definition, references);
                long rowsIn = parse.rowsIn(db);
                String query = StepChain.query(definition.steps(), definition.steps().size());
                ExpectationRun expectations = new ExpectationRun(definition.expectations());
                List<ChunkOutput.Part> parts;
                try {
                    query = OutputTypes.narrow(db, query);
                    String kept = expectations.apply(db, query);
                    parts = new PartWriter(db, work, definition).write(kept);
                } catch (SQLException e) {
                    throw new TransformFailedException("a step failed on this data: " + firstLine(e), e);
                }
                parse.writeRejects(db, rejects);
                long written = parts.stream().mapToLong(ChunkOutput.Part::rows).sum();
                return new ChunkOutput(rowsIn, written, parse.rowsRejected(db), parts, rejects, schema(db, query),
                        expectations.results(), Statistics.of(db, parts, definition.output()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed: " + firstLine(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        }
    }

    private static void loadLookups(Connection db, PipelineDefinition definition, Map<String, Path> references)
            throws SQLException {
        List<Step> steps = definition.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof LookupStep lookup) {
                Path file = references.get(lookup.table());
                if (file == null) {
                    throw new IllegalArgumentException("no file for the lookup reference " + lookup.from());
                }
                LookupTables.load(db, lookup, file, StepChain.types(db, StepChain.query(steps, i)));
            }
        }
    }

    private void sandbox(Connection db, Path work) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("SET memory_limit=" + literal(limits.memoryLimit()));
            s.execute("SET threads=" + limits.threads());
            s.execute("SET temp_directory=" + literal(work.resolve("spill").toString()));
            s.execute("SET preserve_insertion_order=true");
            s.execute("SET TimeZone='UTC'");
            s.execute("SET allowed_directories=[" + literal(work + "/") + "]");
            s.execute("SET enable_external_access=false");
            s.execute("SET lock_configuration=true");
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
