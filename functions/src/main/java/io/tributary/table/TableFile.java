package io.tributary.table;

import java.util.List;
import java.util.Map;

/**
 * A data file written for the table, before a version adds it.
 *
 * @param path  where it is stored, relative to the table's folder (not encoded)
 * @param tags  Tributary's notes on the file, such as a merged file's key range; null for none
 */
public record TableFile(String path, long rows, long bytes, Map<String, String> tags) {

    public TableFile(String path, long rows, long bytes) {
        this(path, rows, bytes, null);
    }

    /** The {@code add} action of this file, its partition values read from its folders. */
    Action.AddFile add(List<String> partitionColumns, long now) {
        return new Action.AddFile(DataPaths.encode(path), DataPaths.partitionValues(path, partitionColumns), bytes, now,
                true, FileStats.of(rows), tags);
    }
}
