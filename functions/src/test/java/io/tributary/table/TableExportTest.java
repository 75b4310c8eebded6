package io.tributary.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.engine.EngineLimits;
import io.tributary.engine.ParquetJson;
import io.tributary.run.OutputColumn;
import io.tributary.testing.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version exported as a Delta table of its own: its files where the log names them, and a log of one commit. */
class TableExportTest {

    private static final List<OutputColumn> COLUMNS = List.of(new OutputColumn("id", "BIGINT"),
            new OutputColumn("name", "VARCHAR"));

    @TempDir
    Path work;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private long now = 1_700_000_000_000L;

    private TableLog log() {
        return new TableLog(blobs, "training", "p/table/", new ParquetCheckpoints(new ParquetJson(EngineLimits.DEFAULT),
                work.resolve("t")));
    }

    private void commit(String mode, String runId, String... paths) {
        for (String path : paths) {
            blobs.put("training", "p/table/" + path, ("rows of " + path).getBytes(StandardCharsets.UTF_8));
        }
        List<TableFile> files = java.util.Arrays.stream(paths).map(p -> new TableFile(p, 10, 100)).toList();
        RunInfo run = new RunInfo("p", runId, "hash", List.of(), "test");
        new TableCommits(() -> now++).commit(log(), run.appId(), new RunWrite(new TableShape(
                TableLogTest.definition(mode), COLUMNS), run, files, now));
    }

    @Test
    void aVersionIsWrittenAsAOneCommitDeltaTableWithItsFilesAtTheirPaths() throws Exception {
        commit("append", "r1", "split=train/part-r1-00000.parquet", "split=test/part-r1-00000.parquet");
        commit("append", "r2", "split=train/part-r2-00000.parquet");
        Path dir = work.resolve("v0");
        List<String> progress = new ArrayList<>();

        TableExport.Exported exported = new TableExport(log()).export(log().at(0), dir, null,
                (files, total, bytes, totalBytes) -> progress.add(files + "/" + total + " " + bytes + "/" + totalBytes));

        assertEquals(0, exported.version());
        assertEquals(20, exported.rows());
        assertEquals(List.of("split=train/part-r1-00000.parquet", "split=test/part-r1-00000.parquet"),
                exported.files());
        assertEquals("rows of split=train/part-r1-00000.parquet",
                Files.readString(dir.resolve("split=train/part-r1-00000.parquet")));
        assertFalse(Files.exists(dir.resolve("split=train/part-r2-00000.parquet")), "version 1's file is not in it");
        long train = "rows of split=train/part-r1-00000.parquet".length();
        long test = "rows of split=test/part-r1-00000.parquet".length();
        assertEquals(List.of("1/2 " + train + "/200", "2/2 " + (train + test) + "/200"), progress);
        assertEquals(train + test, exported.bytes());
        assertEquals(dir.resolve("_delta_log/00000000000000000000.json"), exported.logFile());

        List<Action> actions = LogJson.read(Files.readAllBytes(exported.logFile()), "export");
        assertEquals(5, actions.size(), "commitInfo, protocol, metaData and an add per file");
        @SuppressWarnings("unchecked")
        Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) actions.get(0).commitInfo()
                .get("tributary")).get("exportedFrom");
        assertEquals(Map.of("table", "training/p/table/", "version", 0), from);
        Snapshot copy = new Snapshot.Replay().apply(0, actions, 0).snapshot();
        Snapshot original = log().at(0);
        assertEquals(original.files().keySet(), copy.files().keySet());
        assertEquals(original.metadata(), copy.metadata());
        assertEquals(original.protocol(), copy.protocol());
        assertEquals(Map.of("split", "test"), copy.files().get("split=test/part-r1-00000.parquet").partitionValues());
        assertEquals(20, copy.rows());
        assertEquals(List.of(), List.copyOf(copy.tombstones().keySet()));
        assertTrue(copy.txns().isEmpty());
    }

    @Test
    void aVersionWhoseFileIsGoneIsNotExportedAndTheMessageSaysWhy() {
        commit("overwrite", "r1", "split=train/part-r1-00000.parquet");
        commit("overwrite", "r2", "split=train/part-r2-00000.parquet");
        blobs.delete("training", "p/table/split=train/part-r1-00000.parquet");
        Path dir = work.resolve("v0");

        IllegalStateException gone = assertThrows(IllegalStateException.class,
                () -> new TableExport(log()).export(log().at(0), dir, Duration.ofDays(7), TableExport.Progress.NONE));

        assertEquals("version 0 of table training/p/table/ can no longer be read: its data file "
                + "split=train/part-r1-00000.parquet is gone. Vacuum deletes the files that only versions replaced "
                + "longer than the table's retention ago read (7d, output.table.retention); export a newer version "
                + "('tributary history' lists them, the latest is 1), or keep files longer by raising the retention",
                gone.getMessage());
        assertFalse(Files.exists(dir), "nothing is copied");
    }
}
