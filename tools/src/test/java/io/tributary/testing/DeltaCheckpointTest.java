package io.tributary.testing;

import static io.tributary.testing.HandBuiltDeltaTable.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.snapshot.LogSegment;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classic Delta checkpoint written by DuckDB from a JSON-lines file of the table's state, read by Delta Kernel
 * with the commits it replaces deleted. The SQL here is the checkpoint SQL of table/ParquetCheckpoints, written out.
 */
class DeltaCheckpointTest {

    /**
     * Writes a V1 classic checkpoint: one row per action, each action a nullable struct column. {@code {actions}}
     * is a JSON-lines file of the table state (one action a line, keyed by its action name); {@code {checkpoint}}
     * is {@code _delta_log/<version %020d>.checkpoint.parquet}.
     */
    static final String CHECKPOINT_SQL = """
            COPY (
              SELECT protocol, metaData, txn, add, remove
              FROM read_json({actions},
                format = 'newline_delimited',
                maximum_object_size = 1073741824,
                columns = {
                  protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])',
                  metaData: 'STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)',
                  txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
                  add: 'STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags MAP(VARCHAR, VARCHAR))',
                  remove: 'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT)'
                })
              WHERE protocol IS NOT NULL OR metaData IS NOT NULL OR txn IS NOT NULL OR add IS NOT NULL OR remove IS NOT NULL
            ) TO {checkpoint} (FORMAT parquet, COMPRESSION snappy)""";

    static final String APP = "tributary-orders";
    static final String BACKFILL = "tributary-backfill";
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    static final String DESCRIPTION = "Orders, \"daily\"\nsecond line \u2013 \u00fcn\u00efc\u00f8d\u00e9 \u2713 \\ back\\slash";
    static final Map<String, String> CONFIGURATION = Map.of(
            "tributary.pipeline", "orders \"q\" \u00fc",
            // Keeps the tombstones when Kernel itself checkpoints the table (the default is one week from now).
            "delta.deletedFileRetentionDuration", "interval 36500 days");
    /** Stats JSON whose strings hold quotes, an escaped newline, a backslash and non-ASCII text. */
    static final String ODD_STATS = "{\"numRecords\":2,\"minValues\":{\"note\":\"say \\\"hi\\\"\\n\u2013 \u00fc\u20ac \\\\\"},"
            + "\"maxValues\":{\"note\":\"\u2713\"},\"nullCount\":{\"note\":0}}";
    static final String ODD_PATH_ON_DISK = "split=test/part 00005 \u00fc.parquet";
    static final String ODD_PATH_IN_LOG = "split=test/part%2000005%20%C3%BC.parquet";
    static final String ODD_SPLIT = "hold out \u00fc";
    static final String ODD_SPLIT_PATH_ON_DISK = "split=hold out \u00fc/part-00009.parquet";
    static final String ODD_SPLIT_PATH_IN_LOG = "split=hold%20out%20%C3%BC/part-00009.parquet";

    @TempDir
    Path dir;

    /** A data file of the test table and the rows it holds. */
    record DataFile(String logPath, ObjectNode add, List<Map<String, Object>> rows) {
    }

    /** The table as built: the live files after versions 10 and 11, and the state actions of version 10. */
    record Built(Path root, Map<String, DataFile> liveAt10, Map<String, DataFile> liveAt11, List<ObjectNode> stateAt10,
                 List<String> tombstonesAt10) {
    }

    @Test
    void kernelReadsACheckpointDuckDbWroteWithTheCommitsBeforeItDeleted() throws IOException {
        Built table = build(dir.resolve("orders"));
        Path root = table.root();
        // What Kernel reads from the JSON commits alone, before there is a checkpoint.
        List<Map<String, Object>> rows10 = DeltaTables.rows(root, 10);
        List<Map<String, Object>> rows11 = DeltaTables.rows(root, 11);
        assertRows(expected(table.liveAt10()), rows10);
        assertRows(expected(table.liveAt11()), rows11);
        assertEquals(sortedKeys(table.liveAt10()), sorted(DeltaTables.files(root, 10)));
        assertEquals(sortedKeys(table.liveAt11()), sorted(DeltaTables.files(root, 11)));

        long size = writeCheckpoint(root, 10, table.stateAt10());
        assertEquals(table.stateAt10().size(), size);
        Files.writeString(root.resolve("_delta_log/_last_checkpoint"), "{\"version\":10,\"size\":" + size + "}");
        // The commits before the checkpoint go (Kernel 4.0.0 insists that the checkpoint's own commit, 10.json,
        // stays: see checkpointWithoutItsOwnCommitIsRefused).
        deleteCommits(root, 0, 9);

        assertEquals(11, DeltaTables.latestVersion(root));
        assertRows(expected(table.liveAt11()), DeltaTables.rows(root));
        assertRows(expected(table.liveAt10()), DeltaTables.rows(root, 10));
        assertEquals(comparable(sortById(rows11)), comparable(sortById(DeltaTables.rows(root, 11))));
        assertEquals(sortedKeys(table.liveAt10()), sorted(DeltaTables.files(root, 10)));
        assertEquals(sortedKeys(table.liveAt11()), sorted(DeltaTables.files(root, 11)));
        assertTrue(DeltaTables.files(root, 10).contains(ODD_PATH_IN_LOG));
        assertTrue(DeltaTables.files(root, 10).contains(ODD_SPLIT_PATH_IN_LOG));
        // The tombstones in the checkpoint do not bring their files back.
        for (String tombstone : table.tombstonesAt10()) {
            assertFalse(DeltaTables.files(root, 10).contains(tombstone), tombstone);
        }

        // Kernel built version 11 from the checkpoint and 11.json, version 10 from the checkpoint alone.
        SnapshotImpl latest = (SnapshotImpl) DeltaTables.snapshot(root, 11);
        LogSegment segment = latest.getLogSegment();
        assertEquals(List.of("00000000000000000010.checkpoint.parquet"), fileNames(segment.getCheckpoints()));
        assertEquals(List.of("00000000000000000011.json"), fileNames(segment.getDeltas()));
        assertEquals(List.of("00000000000000000010.checkpoint.parquet"),
                fileNames(((SnapshotImpl) DeltaTables.snapshot(root, 10)).getLogSegment().getCheckpoints()));
        KernelException gone = assertThrows(KernelException.class, () -> DeltaTables.rows(root, 9));
        assertTrue(gone.getMessage().contains("The earliest available version is 10"), gone.getMessage());

        assertCheckpointContent((SnapshotImpl) DeltaTables.snapshot(root, 10));
        assertCheckpointRowsAsKernelReadsThem(root.resolve("_delta_log/00000000000000000010.checkpoint.parquet"), table);
        // 11.json carries the app's next transaction; the backfill's is in the checkpoint only.
        assertEquals(Optional.of(11L), latest.getLatestTransactionVersion(DeltaTables.engine(), APP));
        assertEquals(Optional.of(3L), latest.getLatestTransactionVersion(DeltaTables.engine(), BACKFILL));

        // Kernel writes its own checkpoint of version 11 from ours: our tombstones and transactions come through.
        kernelCheckpointCarriesOurTombstonesAndTransactions(root, table);
    }

    @Test
    void checkpointWithoutItsOwnCommitIsRefused() throws IOException {
        Built table = build(dir.resolve("orders"));
        Path root = table.root();
        long size = writeCheckpoint(root, 10, table.stateAt10());
        Files.writeString(root.resolve("_delta_log/_last_checkpoint"), "{\"version\":10,\"size\":" + size + "}");
        deleteCommits(root, 0, 10);
        // Kernel checks that a delta file exists at the checkpoint's version, with or without _last_checkpoint.
        KernelException refused = assertThrows(KernelException.class, () -> DeltaTables.latestVersion(root));
        assertTrue(refused.getMessage().contains("Missing delta file for version 10"), refused.getMessage());
        Files.delete(root.resolve("_delta_log/_last_checkpoint"));
        refused = assertThrows(KernelException.class, () -> DeltaTables.rows(root));
        assertTrue(refused.getMessage().contains("Missing delta file for version 10"), refused.getMessage());
        // It only checks that the file exists: an empty 10.json is enough, its content is not replayed.
        Files.writeString(root.resolve("_delta_log/00000000000000000010.json"), "");
        assertRows(expected(table.liveAt11()), DeltaTables.rows(root));
        assertRows(expected(table.liveAt10()), DeltaTables.rows(root, 10));
    }

    @Test
    void kernelFindsTheCheckpointByListingWhenLastCheckpointIsMissing() throws IOException {
        Built table = build(dir.resolve("orders"));
        Path root = table.root();
        writeCheckpoint(root, 10, table.stateAt10());
        // No _last_checkpoint, the commits 0..10 still there: Kernel lists _delta_log and starts from the checkpoint.
        assertFalse(Files.exists(root.resolve("_delta_log/_last_checkpoint")));
        assertEquals(List.of("00000000000000000010.checkpoint.parquet"),
                fileNames(((SnapshotImpl) DeltaTables.snapshot(root, 11)).getLogSegment().getCheckpoints()));
        assertRows(expected(table.liveAt11()), DeltaTables.rows(root));
        // Versions before the checkpoint still come from the JSON commits.
        assertEquals(List.of(), fileNames(((SnapshotImpl) DeltaTables.snapshot(root, 9)).getLogSegment().getCheckpoints()));

        // No _last_checkpoint and no commits before the checkpoint: the listing alone still finds it.
        deleteCommits(root, 0, 9);
        assertEquals(11, DeltaTables.latestVersion(root));
        assertRows(expected(table.liveAt11()), DeltaTables.rows(root));
        assertRows(expected(table.liveAt10()), DeltaTables.rows(root, 10));
        assertEquals(sortedKeys(table.liveAt11()), sorted(DeltaTables.files(root, 11)));
        assertCheckpointContent((SnapshotImpl) DeltaTables.snapshot(root, 10));
    }

    /** What Kernel read from the checkpoint's protocol, metaData, txn and add columns. */
    private static void assertCheckpointContent(SnapshotImpl at10) {
        var metadata = at10.getMetadata();
        assertEquals(Optional.of(DESCRIPTION), metadata.getDescription());
        assertEquals(Optional.of("orders"), metadata.getName());
        assertEquals(CONFIGURATION, metadata.getConfiguration());
        assertEquals(Set.of("split"), metadata.getPartitionColNames());
        assertEquals(Optional.of(T0.toEpochMilli()), metadata.getCreatedTime());
        assertEquals("parquet", metadata.getFormat().getProvider());
        assertEquals(List.of("id", "note", "ts_ntz", "split"), at10.getSchema().fieldNames());
        var protocol = at10.getProtocol();
        assertEquals(3, protocol.getMinReaderVersion());
        assertEquals(7, protocol.getMinWriterVersion());
        assertTrue(protocol.getReaderFeatures().contains("timestampNtz"));
        assertTrue(protocol.getWriterFeatures().contains("timestampNtz"));
        assertEquals(Optional.of(10L), at10.getLatestTransactionVersion(DeltaTables.engine(), APP));
        assertEquals(Optional.of(3L), at10.getLatestTransactionVersion(DeltaTables.engine(), BACKFILL));
        assertEquals(Optional.empty(), at10.getLatestTransactionVersion(DeltaTables.engine(), "another-app"));

        // The add rows as Kernel's scan returns them, stats included.
        Map<String, String> stats = new HashMap<>();
        Map<String, Map<String, String>> partitionValues = new HashMap<>();
        ScanImpl scan = (ScanImpl) at10.getScanBuilder().build();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(DeltaTables.engine(), true)) {
            while (files.hasNext()) {
                FilteredColumnarBatch batch = files.next();
                try (CloseableIterator<Row> rows = batch.getRows()) {
                    while (rows.hasNext()) {
                        Row scanFile = rows.next();
                        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                        String path = add.getString(add.getSchema().indexOf("path"));
                        stats.put(path, add.getString(add.getSchema().indexOf("stats")));
                        partitionValues.put(path, InternalScanFileUtils.getPartitionValues(scanFile));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(ODD_STATS, stats.get(ODD_PATH_IN_LOG));
        assertEquals("{\"numRecords\":2}", stats.get("split=train/part-00010.parquet"));
        assertEquals(Map.of("split", ODD_SPLIT), partitionValues.get(ODD_SPLIT_PATH_IN_LOG));
        assertEquals(Map.of("split", "test"), partitionValues.get(ODD_PATH_IN_LOG));
    }

    /**
     * Our checkpoint read with Kernel's Parquet reader and Kernel's own checkpoint schema (SingleAction), so that the
     * columns Kernel's snapshot does not surface (remove tombstones, txn.lastUpdated) are checked too.
     */
    private static void assertCheckpointRowsAsKernelReadsThem(Path checkpoint, Built table) {
        List<Map<String, Object>> rows = DeltaTables.parquet(checkpoint, SingleAction.CHECKPOINT_SCHEMA);
        assertEquals(table.stateAt10().size(), rows.size());
        Map<String, Map<String, Object>> removes = new TreeMap<>();
        Map<String, Map<String, Object>> adds = new TreeMap<>();
        Map<String, Map<String, Object>> txns = new TreeMap<>();
        List<Map<String, Object>> protocols = new ArrayList<>();
        List<Map<String, Object>> metaDatas = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long actions = row.values().stream().filter(v -> v != null).count();
            assertEquals(1, actions, "one action a row: " + row);
            collect(row, "remove", "path", removes);
            collect(row, "add", "path", adds);
            collect(row, "txn", "appId", txns);
            if (row.get("protocol") != null) {
                protocols.add(struct(row, "protocol"));
            }
            if (row.get("metaData") != null) {
                metaDatas.add(struct(row, "metaData"));
            }
        }
        assertEquals(table.tombstonesAt10(), new ArrayList<>(removes.keySet()));
        for (ObjectNode action : table.stateAt10()) {
            if (action.has("remove")) {
                ObjectNode expected = (ObjectNode) action.get("remove");
                Map<String, Object> remove = removes.get(expected.get("path").asText());
                assertEquals(expected.get("deletionTimestamp").asLong(), remove.get("deletionTimestamp"));
                assertEquals(false, remove.get("dataChange"));
                assertEquals(true, remove.get("extendedFileMetadata"));
                assertEquals(Map.of("split", expected.get("partitionValues").get("split").asText()), remove.get("partitionValues"));
                assertEquals(expected.get("size").asLong(), remove.get("size"));
                assertEquals(null, remove.get("stats"));
                assertEquals(null, remove.get("deletionVector"));
            } else if (action.has("add")) {
                ObjectNode expected = (ObjectNode) action.get("add");
                Map<String, Object> add = adds.get(expected.get("path").asText());
                assertEquals(expected.get("size").asLong(), add.get("size"));
                assertEquals(expected.get("modificationTime").asLong(), add.get("modificationTime"));
                assertEquals(false, add.get("dataChange"));
                assertEquals(expected.get("stats").asText(), add.get("stats"));
                assertEquals(Map.of("split", expected.get("partitionValues").get("split").asText()), add.get("partitionValues"));
                assertEquals(null, add.get("tags"));
                assertEquals(null, add.get("deletionVector"));
            }
        }
        assertEquals(sortedKeys(table.liveAt10()), new ArrayList<>(adds.keySet()));
        assertEquals(Map.of("appId", APP, "version", 10L, "lastUpdated", T0.plus(Duration.ofMinutes(10)).toEpochMilli()), txns.get(APP));
        assertEquals(Map.of("appId", BACKFILL, "version", 3L, "lastUpdated", T0.plus(Duration.ofMinutes(3)).toEpochMilli()), txns.get(BACKFILL));
        assertEquals(1, protocols.size());
        assertEquals(3, protocols.get(0).get("minReaderVersion"));
        assertEquals(7, protocols.get(0).get("minWriterVersion"));
        assertEquals(List.of("timestampNtz"), protocols.get(0).get("readerFeatures"));
        assertEquals(List.of("timestampNtz"), protocols.get(0).get("writerFeatures"));
        assertEquals(1, metaDatas.size());
        Map<String, Object> metaData = metaDatas.get(0);
        assertEquals(DESCRIPTION, metaData.get("description"));
        assertEquals(Map.of("provider", "parquet", "options", Map.of()), metaData.get("format"));
        assertEquals(List.of("split"), metaData.get("partitionColumns"));
        assertEquals(CONFIGURATION, metaData.get("configuration"));
        assertEquals(T0.toEpochMilli(), metaData.get("createdTime"));
        ObjectNode expectedMetaData = (ObjectNode) table.stateAt10().get(1).get("metaData");
        assertEquals(expectedMetaData.get("schemaString").asText(), metaData.get("schemaString"));
        assertEquals(expectedMetaData.get("id").asText(), metaData.get("id"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> struct(Map<String, Object> row, String column) {
        return (Map<String, Object>) row.get(column);
    }

    private static void collect(Map<String, Object> row, String column, String key, Map<String, Map<String, Object>> into) {
        if (row.get(column) != null) {
            Map<String, Object> action = struct(row, column);
            assertEquals(null, into.put((String) action.get(key), action), "duplicate " + column + " " + action.get(key));
        }
    }

    private void kernelCheckpointCarriesOurTombstonesAndTransactions(Path root, Built table) {
        try {
            io.delta.kernel.Table.forPath(DeltaTables.engine(), root.toString()).checkpoint(DeltaTables.engine(), 11);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path kernels = root.resolve("_delta_log/00000000000000000011.checkpoint.parquet");
        assertTrue(Files.exists(kernels));
        try (HandBuiltDeltaTable duckdb = new HandBuiltDeltaTable(dir.resolve("scratch"))) {
            String file = literal(kernels.toString());
            List<String> removes = duckdb.query("SELECT remove.path FROM read_parquet(" + file + ") WHERE remove IS NOT NULL ORDER BY 1")
                    .stream().map(r -> (String) r.get(0)).toList();
            // Kernel 4.0.0 carries into its checkpoint only the tombstones of the commits it replays (11.json), not
            // those of the checkpoint it starts from (CreateCheckpointIterator skips removes from checkpoints).
            assertEquals(List.of("split=train/part-00004.parquet"), removes);
            List<List<Object>> txns = duckdb.query(
                    "SELECT txn.appId, txn.version FROM read_parquet(" + file + ") WHERE txn IS NOT NULL ORDER BY 1");
            assertEquals(List.of(List.of(BACKFILL, 3L), List.of(APP, 11L)), txns);
            List<String> adds = duckdb.query("SELECT add.path FROM read_parquet(" + file + ") WHERE add IS NOT NULL ORDER BY 1")
                    .stream().map(r -> (String) r.get(0)).toList();
            assertEquals(sortedKeys(table.liveAt11()), adds);
        }
    }

    // ---- building the table ----

    /**
     * Versions 0..11 of a table partitioned by split: 0 creates it with a file in train and test; each of 1..10 adds a
     * file and records the app's transaction (3 also the backfill's); 6 deletes the file of version 2; 8 rewrites the
     * file of version 3 (copy-on-write); 11 deletes the file of version 4, adds a file and records the app's
     * transaction. Version 5's file has a space and non-ASCII in its name and odd stats; version 9's partition value
     * has a space and non-ASCII.
     */
    Built build(Path root) {
        Map<String, DataFile> live = new LinkedHashMap<>();
        Map<String, DataFile> byVersion = new HashMap<>();
        Map<String, ObjectNode> tombstones = new TreeMap<>();
        Map<String, ObjectNode> txns = new TreeMap<>();
        ObjectNode protocol = HandBuiltDeltaTable.protocol(3, 7, List.of("timestampNtz"), List.of("timestampNtz"));
        ObjectNode metaData = HandBuiltDeltaTable.metaData("orders", DESCRIPTION,
                List.of(new String[] {"id", "long"}, new String[] {"note", "string"}, new String[] {"ts_ntz", "timestamp_ntz"},
                        new String[] {"split", "string"}),
                List.of("split"), CONFIGURATION, T0.toEpochMilli());
        Map<String, DataFile> liveAt10 = null;
        List<String> tombstonesAt10 = null;
        List<ObjectNode> stateAt10 = new ArrayList<>();
        try (HandBuiltDeltaTable table = new HandBuiltDeltaTable(root)) {
            for (int version = 0; version <= 11; version++) {
                Instant time = T0.plus(Duration.ofMinutes(version));
                List<ObjectNode> actions = new ArrayList<>();
                if (version == 0) {
                    actions.add(protocol);
                    actions.add(metaData);
                    DataFile test = dataFile(table, "split=test/part-00000.parquet", "split=test/part-00000.parquet", "test", 0, 1000,
                            "{\"numRecords\":2}", time);
                    live.put(test.logPath(), test);
                    actions.add(test.add());
                }
                if (version == 6 || version == 8 || version == 11) {
                    String gone = byVersion.get(version == 6 ? "2" : version == 8 ? "3" : "4").logPath();
                    ObjectNode remove = HandBuiltDeltaTable.remove(live.remove(gone).add(), time.toEpochMilli());
                    actions.add(remove);
                    tombstones.put(gone, remove);
                }
                String split = version == 9 ? ODD_SPLIT : version % 2 == 0 ? "train" : "test";
                String onDisk = version == 5 ? ODD_PATH_ON_DISK : version == 9 ? ODD_SPLIT_PATH_ON_DISK
                        : String.format("split=%s/part-%05d.parquet", split, version);
                String inLog = version == 5 ? ODD_PATH_IN_LOG : version == 9 ? ODD_SPLIT_PATH_IN_LOG : onDisk;
                if (version == 8) {
                    // The rewrite of version 3's file: same partition, its rows changed.
                    split = "test";
                    onDisk = inLog = "split=test/part-00003-rewritten.parquet";
                }
                int firstId = version == 8 ? 30 : version * 10;
                DataFile added = dataFile(table, onDisk, inLog, split, version, firstId,
                        version == 5 ? ODD_STATS : "{\"numRecords\":2}", time);
                live.put(added.logPath(), added);
                byVersion.put(Integer.toString(version), added);
                actions.add(added.add());
                if (version >= 1) {
                    ObjectNode txn = HandBuiltDeltaTable.txn(APP, version, time.toEpochMilli());
                    actions.add(txn);
                    txns.put(APP, txn);
                }
                if (version == 3) {
                    ObjectNode txn = HandBuiltDeltaTable.txn(BACKFILL, 3, time.toEpochMilli());
                    actions.add(txn);
                    txns.put(BACKFILL, txn);
                }
                table.commit(version, time, actions);
                if (version == 10) {
                    liveAt10 = new LinkedHashMap<>(live);
                    tombstonesAt10 = new ArrayList<>(tombstones.keySet());
                    // The state of version 10, as a checkpoint holds it: adds and tombstones with dataChange false.
                    stateAt10.add(protocol);
                    stateAt10.add(metaData);
                    stateAt10.addAll(txns.values());
                    for (DataFile file : live.values()) {
                        ObjectNode add = file.add().deepCopy();
                        ((ObjectNode) add.get("add")).put("dataChange", false);
                        stateAt10.add(add);
                    }
                    for (ObjectNode tombstone : tombstones.values()) {
                        ObjectNode remove = tombstone.deepCopy();
                        ((ObjectNode) remove.get("remove")).put("dataChange", false);
                        stateAt10.add(remove);
                    }
                }
            }
        }
        return new Built(root, liveAt10, live, stateAt10, sorted(tombstonesAt10));
    }

    private static DataFile dataFile(HandBuiltDeltaTable table, String onDisk, String inLog, String split, int version,
                                     int firstId, String stats, Instant time) {
        List<Map<String, Object>> rows = List.of(dataRow(firstId, version, split), dataRow(firstId + 1, version, split));
        List<String> selects = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            selects.add("SELECT " + row.get("id") + "::BIGINT AS id, " + literal((String) row.get("note")) + " AS note, "
                    + literal(row.get("ts_ntz").toString().replace('T', ' ')) + "::TIMESTAMP AS ts_ntz");
        }
        Path file = table.parquet(onDisk, String.join(" UNION ALL ", selects) + " ORDER BY id");
        return new DataFile(inLog, table.add(inLog, file, Map.of("split", split), stats, time.toEpochMilli()), rows);
    }

    private static Map<String, Object> dataRow(long id, int version, String split) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("note", "v" + version + " row " + id + " \"quoted\" 'single' \u00fc\n");
        row.put("ts_ntz", LocalDateTime.of(2024, 5, 1, 0, 0).plusMinutes(version).plusSeconds(id));
        row.put("split", split);
        return row;
    }

    // ---- writing the checkpoint ----

    /**
     * Writes the state actions as JSON lines, then the checkpoint with DuckDB; returns its row count (what JDBC's
     * executeUpdate returns for the COPY). A commitInfo line leads the file: the WHERE clause keeps it out.
     */
    long writeCheckpoint(Path root, long version, List<ObjectNode> state) throws IOException {
        Path actions = Files.createTempFile(dir, "checkpoint-", ".json");
        StringBuilder lines = new StringBuilder("{\"commitInfo\":{\"timestamp\":0,\"operation\":\"WRITE\"}}\n");
        for (ObjectNode action : state) {
            lines.append(action).append('\n');
        }
        Files.writeString(actions, lines, StandardCharsets.UTF_8);
        Path checkpoint = root.resolve("_delta_log").resolve(String.format("%020d.checkpoint.parquet", version));
        try (HandBuiltDeltaTable duckdb = new HandBuiltDeltaTable(dir.resolve("scratch"))) {
            long rows = duckdb.update(CHECKPOINT_SQL.replace("{actions}", literal(actions.toString()))
                    .replace("{checkpoint}", literal(checkpoint.toString())));
            assertEquals(rows, duckdb.query("SELECT count(*) FROM read_parquet(" + literal(checkpoint.toString()) + ")").get(0).get(0));
            return rows;
        }
    }

    private static void deleteCommits(Path root, int from, int to) throws IOException {
        for (int version = from; version <= to; version++) {
            Files.delete(root.resolve("_delta_log").resolve(String.format("%020d.json", version)));
        }
    }

    // ---- assertions ----

    private static List<Map<String, Object>> expected(Map<String, DataFile> live) {
        List<Map<String, Object>> rows = new ArrayList<>();
        live.values().forEach(file -> rows.addAll(file.rows()));
        return sortById(rows);
    }

    private static void assertRows(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        assertEquals(comparable(sortById(expected)), comparable(sortById(actual)));
    }

    private static List<Map<String, Object>> sortById(List<Map<String, Object>> rows) {
        return rows.stream().sorted(Comparator.comparing(r -> (Long) r.get("id"))).toList();
    }

    /** Each row as text with each value's class, so that a Long and an Integer do not compare equal by accident. */
    private static List<String> comparable(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            StringBuilder text = new StringBuilder();
            row.forEach((k, v) -> text.append(k).append('=').append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v).append("; "));
            out.add(text.toString());
        }
        return out;
    }

    private static List<String> sortedKeys(Map<String, DataFile> live) {
        return sorted(new ArrayList<>(live.keySet()));
    }

    private static List<String> sorted(List<String> items) {
        return items.stream().sorted().toList();
    }

    private static List<String> fileNames(List<FileStatus> files) {
        return files.stream().map(f -> f.getPath().substring(f.getPath().lastIndexOf('/') + 1)).toList();
    }
}
