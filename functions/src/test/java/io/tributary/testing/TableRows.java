package io.tributary.testing;

import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunLayout;
import io.tributary.table.Action;
import io.tributary.table.DataPaths;
import io.tributary.table.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one version of a pipeline's table as Tributary's own log says: each data file the version reads,
 * downloaded and read with Parquet's reader (not the engine), with its partition values; sorted by {@code sortBy}.
 */
public final class TableRows {

    private TableRows() {
    }

    public static List<Map<String, Object>> read(BlobStore blobs, String pipeline, Snapshot version, Path dir,
                                                 String sortBy) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 0;
        for (Action.AddFile file : version.files().values()) {
            String name = RunLayout.table(pipeline) + DataPaths.decode(file.path());
            BlobRef blob = blobs.current(RunLayout.TRAINING + "/" + name).orElseThrow(
                    () -> new AssertionError("version " + version.version() + " reads " + name + ", which is gone"));
            Path local = dir.resolve("v" + version.version() + "-" + n++ + ".parquet");
            blobs.download(blob, local);
            if (Files.size(local) != file.size()) {
                throw new AssertionError(name + " has " + Files.size(local) + " bytes; its add says " + file.size());
            }
            for (Map<String, Object> row : ParquetRows.read(local)) {
                Map<String, Object> withPartitions = new LinkedHashMap<>(row);
                withPartitions.putAll(file.partitionValues());
                rows.add(withPartitions);
            }
            Files.delete(local);
        }
        rows.sort(Comparator.comparing(r -> String.valueOf(r.get(sortBy))));
        return rows;
    }
}
