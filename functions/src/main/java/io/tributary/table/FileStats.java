package io.tributary.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The statistics a data file's {@code add} carries ({@code numRecords}), written and read. */
public final class FileStats {

    private FileStats() {
    }

    /** The {@code stats} text of a file of {@code rows} rows. */
    public static String of(long rows) {
        return LogJson.text(Map.of("numRecords", rows));
    }

    /** The rows of {@code file}, from its statistics; 0 when it carries none. */
    public static long rows(Action.AddFile file) {
        return rows(file.stats());
    }

    /** The rows of a file whose statistics are {@code stats}; 0 when null or without {@code numRecords}. */
    public static long rows(String stats) {
        if (stats == null) {
            return 0;
        }
        try {
            JsonNode node = LogJson.MAPPER.readTree(stats);
            return node.path("numRecords").asLong(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return 0;
        }
    }
}
