package io.tributary.table;

import io.tributary.engine.ParquetJson;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints as the Delta protocol's classic checkpoint: one Parquet file, a row per action, each action a nullable
 * struct column ({@code txn}, {@code add}, {@code remove}, {@code metaData}, {@code protocol}).
 */
public final class ParquetCheckpoints implements Checkpoints {

    private static final String MAP = "MAP(VARCHAR, VARCHAR)";
    /** The checkpoint schema of the Delta protocol, for the fields Tributary writes. */
    static final Map<String, String> COLUMNS = columns();

    private final ParquetJson parquet;
    private final Path workRoot;

    /** @param workRoot where each checkpoint is written or read, in a folder of its own deleted after */
    public ParquetCheckpoints(ParquetJson parquet, Path workRoot) {
        this.parquet = parquet;
        this.workRoot = workRoot;
    }

    @Override
    public long write(BlobStore blobs, String container, String name, List<Action> actions) {
        Path work = WorkFolder.create(workRoot, "checkpoint-");
        try {
            Path lines = work.resolve("checkpoint.jsonl");
            Files.write(lines, LogJson.write(actions.stream().filter(a -> a.commitInfo() == null).toList()));
            Path file = work.resolve("checkpoint.parquet");
            long rows = parquet.write(lines, COLUMNS, file, work);
            blobs.upload(container, name, file);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkFolder.delete(work);
        }
    }

    @Override
    public List<Action> read(BlobStore blobs, String container, String name) {
        Path work = WorkFolder.create(workRoot, "checkpoint-");
        try {
            BlobRef blob = blobs.current(container + "/" + name)
                    .orElseThrow(() -> new IllegalStateException("checkpoint " + container + "/" + name + " is gone"));
            Path file = work.resolve("checkpoint.parquet");
            blobs.download(blob, file);
            List<Action> actions = new ArrayList<>();
            for (String row : parquet.read(file, work)) {
                actions.add(LogJson.MAPPER.readValue(row, Action.class));
            }
            return actions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + container + "/" + name + ": " + e.getMessage(), e);
        } finally {
            WorkFolder.delete(work);
        }
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("txn", "STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)");
        columns.put("add", "STRUCT(path VARCHAR, partitionValues " + MAP + ", size BIGINT, modificationTime BIGINT, "
                + "dataChange BOOLEAN, stats VARCHAR, tags " + MAP + ")");
        columns.put("remove", "STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, "
                + "extendedFileMetadata BOOLEAN, partitionValues " + MAP + ", size BIGINT, stats VARCHAR)");
        columns.put("metaData", "STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, "
                + "options " + MAP + "), schemaString VARCHAR, partitionColumns VARCHAR[], configuration " + MAP
                + ", createdTime BIGINT)");
        columns.put("protocol", "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], "
                + "writerFeatures VARCHAR[])");
        return java.util.Collections.unmodifiableMap(columns);
    }
}
