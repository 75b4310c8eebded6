package io.tributary.engine;

import io.tributary.definition.PipelineDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Reads one chunk of a source into the table {@code parsed}, typed as the run's columns say, and sets the
 * records that do not fit aside with line and reason.
 */
interface SourceParse {

    /** The parser for the definition's source format, reading the run's columns. */
    static SourceParse of(PipelineDefinition definition, SourceSchema schema) {
        return definition.source().isCsv() ? new CsvParse(definition, schema) : new JsonParse(definition, schema);
    }

    /** Fails the chunk when the source cannot be what the definition declares (e.g. a CSV header that differs). */
    default void check(Connection db, Path input) {
    }

    /** Loads {@code input} into {@code parsed}; what does not parse goes to the rejects. */
    void load(Connection db, Path input) throws SQLException;

    /** Frees the parsed rows, once the steps have run on them. */
    default void dropParsed(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE parsed");
        }
    }

    /** Records read, good and bad. */
    long rowsIn(Connection db) throws SQLException;

    /** Records set aside: each counts once, however many of its values failed. */
    long rowsRejected(Connection db) throws SQLException;

    /**
     * Writes one JSON object per rejected value: line, column, error, reason, text; then the records of
     * {@code others} (a query in those columns), if any.
     */
    void writeRejects(Connection db, Path rejects, Optional<String> others) throws SQLException;
}
