package io.tributary.engine;

import io.tributary.definition.source.SourceFormat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The records on given lines of a chunk, as written (a Parquet row as JSON): what a row set aside away from its chunk (in a
 * key bucket) needs to show its record. Lines are numbered as the reader numbers them, the chunk's header included.
 */
public final class RecordTexts {

    private RecordTexts() {
    }

    /**
     * The text of the records on {@code lines} (sorted, lines of {@code chunk}) of a source written as {@code format}
     * (CSV or JSON Lines, decoded), by line; a line that holds no record is left out. One pass over the chunk.
     */
    public static Map<Long, String> of(SourceFormat format, Path chunk, long[] lines) {
        Map<Long, String> texts = new HashMap<>();
        if (format.isParquet()) {
            return rows(chunk, lines);
        }
        (format.isCsv() ? new CsvRecords(format) : CsvRecords.jsonLines())
                .scanLines(chunk, lines, (number, line, text) -> texts.put(line, text));
        return texts;
    }

    /** A Parquet part's rows numbered {@code rows} (from 1), each as JSON, as a Parquet source's rejects show rows. */
    private static Map<Long, String> rows(Path part, long[] rows) {
        Map<Long, String> texts = new HashMap<>();
        String wanted = java.util.Arrays.stream(rows).mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(", "));
        try (java.sql.Connection db = Sandbox.open(EngineLimits.DEFAULT, part.toAbsolutePath().getParent());
             java.sql.Statement s = db.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT file_row_number + 1, to_json(struct_pack(*COLUMNS(* EXCLUDE "
                     + "(file_row_number))))::VARCHAR FROM read_parquet(" + io.tributary.definition.sql.SqlText.literal(
                     part.toAbsolutePath().toString()) + ", file_row_number = true) WHERE file_row_number + 1 IN ("
                     + wanted + ")")) {
            while (rs.next()) {
                texts.put(rs.getLong(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the engine could not read the part " + part.getFileName() + ": "
                    + ChunkTransformer.firstLine(e), e);
        }
        return texts;
    }
}
