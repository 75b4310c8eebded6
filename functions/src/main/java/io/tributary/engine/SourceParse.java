package io.tributary.engine;

import io.tributary.definition.PipelineDefinition;
import io.tributary.run.SourceSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Reads one chunk of a source as the relation {@code parsed}, typed as the run's columns say, and sets the
 * records that do not fit aside with line and reason.
 */
interface SourceParse {

    /** The parser for the definition's source format, reading the run's columns, its buffers sized to {@code limits}. */
    static SourceParse of(PipelineDefinition definition, SourceSchema schema, EngineLimits limits) {
        ReaderBuffers buffers = ReaderBuffers.of(limits);
        if (definition.source().isCsv()) {
            return new CsvParse(definition, schema, buffers);
        }
        return definition.source().isParquet() ? new ParquetParse(definition, schema)
                : new JsonParse(definition, schema, buffers);
    }

    /** Fails the chunk when the source cannot be what the definition declares (e.g. a CSV header that differs). */
    default void check(Connection db, Path input) {
    }

    /**
     * Makes {@code parsed} (a table, or a view over the source) name the source's good records, with the columns
     * the steps read: queries over it can be described before any record is read.
     */
    void load(Connection db, Path input) throws SQLException;

    /**
     * The query that runs {@code select} (a query over {@code parsed}) to be kept in a table; a parser whose
     * {@code parsed} is a view over the source reads the source there, once, and adds what it sets aside as rows
     * of its own, which {@link #settle} takes out again.
     */
    default String reading(String select) {
        return select;
    }

    /** Moves the rows {@link #reading} added to {@code table} out of it, once the table is made. */
    default void settle(Connection db, String table) throws SQLException {
    }

    /** Frees the parsed rows, once the steps have run on them. */
    default void dropParsed(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE parsed");
        }
    }

    /** Records read, good and bad; known after {@link #settle}. */
    long rowsIn(Connection db) throws SQLException;

    /** Records set aside: each counts once, however many of its values failed; known after {@link #settle}. */
    long rowsRejected(Connection db) throws SQLException;

    /**
     * Writes one JSON object per rejected value: line (in the source: the chunk's line plus {@code lineOffset}),
     * column, error, reason, text; then the records of {@code others}, if any: a query in the columns row (the row's
     * {@link ChunkTransformer#ROW}, or null), column, error, reason and text (the row's values, for a row whose record
     * cannot be found), each given the line and text of its record where it has one.
     */
    void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset) throws SQLException;

    /**
     * {@code table}'s rows (which carry {@link ChunkTransformer#ROW}) with each row's {@code ROW} made its line in the
     * source (the chunk's line plus {@code lineOffset}), as a relation: for rows that leave the chunk for a key bucket.
     */
    default String withSourceLines(Connection db, String table, long lineOffset) throws SQLException {
        return "(SELECT * REPLACE (" + ChunkTransformer.ROW + " + " + lineOffset + " AS " + ChunkTransformer.ROW
                + ") FROM " + table + ")";
    }

    /**
     * The rows of {@code others} (the rows set aside after the steps) kept in a table of their own, so that finding
     * their records and writing them reads the steps' rows once: the query over that table.
     */
    static Optional<String> settled(Connection db, Optional<String> others) throws SQLException {
        if (others.isEmpty()) {
            return others;
        }
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE set_aside AS " + others.get());
        }
        return Optional.of("SELECT * FROM set_aside");
    }

    /** The rejects {@code query} with each line moved on by {@code lineOffset}: lines in the source, not the chunk. */
    static String inSource(String query, long lineOffset) {
        return lineOffset == 0 ? query : "SELECT * REPLACE (line + " + lineOffset + " AS line) FROM (" + query + ")";
    }
}
