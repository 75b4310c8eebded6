package io.tributary.engine;

import io.tributary.definition.PipelineDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads one chunk of a source into the table {@code parsed}, typed as the definition declares, and sets the
 * records that do not fit aside with line and reason. Later stages add rows they drop to the table
 * {@code missing}, which {@link #load} creates.
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

    /** Records read, good and bad. */
    long rowsIn(Connection db) throws SQLException;

    /** Records set aside: each counts once, however many of its values failed. */
    long rowsRejected(Connection db) throws SQLException;

    /** Writes one JSON object per rejected value or dropped row: line, column, error, reason, text. */
    void writeRejects(Connection db, Path rejects) throws SQLException;
}
