package io.tributary.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.engine.EngineLimits;
import io.tributary.engine.ParquetJson;
import io.tributary.run.OutputColumn;
import io.tributary.testing.InMemoryBlobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's versions, newest first, a page at a time, from each commit's commitInfo or its actions. */
class TableHistoryTest {

    private static final List<OutputColumn> COLUMNS = List.of(new OutputColumn("id", "BIGINT"),
            new OutputColumn("name", "VARCHAR"));
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path work;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private long now = T0;

    private TableLog log() {
        return new TableLog(blobs, "training", "p/table/", new ParquetCheckpoints(new ParquetJson(EngineLimits.DEFAULT),
                work));
    }

    private void commit(String mode, String runId, long rows, String... paths) {
        List<TableFile> files = java.util.Arrays.stream(paths).map(p -> new TableFile(p, rows, 100)).toList();
        RunInfo run = new RunInfo("p", runId, "hash", List.of(), "test");
        new TableCommits(() -> now).commit(log(), run.appId(), new RunWrite(new TableShape(
                TableLogTest.definition(mode), COLUMNS), run, files, now));
        now += 60_000;
    }

    private TableHistory history() {
        return new TableHistory(log());
    }

    @Test
    void eachVersionNewestFirstWithItsRunAndWhatItAddedAndRemoved() {
        commit("append", "r1", 10, "split=train/part-r1-00000.parquet", "split=test/part-r1-00000.parquet");
        commit("append", "r2", 5, "split=train/part-r2-00000.parquet");
        commit("overwrite", "r3", 7, "split=train/part-r3-00000.parquet");

        TableHistory.Page page = history().page(TableHistory.DEFAULT_LIMIT, null).orElseThrow();

        assertEquals(2, page.latest());
        assertEquals(null, page.nextBefore());
        assertEquals(List.of(
                new TableHistory.Entry(2, Instant.ofEpochMilli(T0 + 120_000), "WRITE", "overwrite", "r3", 7, 25, 1, 3,
                        100, null, true),
                new TableHistory.Entry(1, Instant.ofEpochMilli(T0 + 60_000), "WRITE", "append", "r2", 5, 0, 1, 0, 100,
                        null, true),
                new TableHistory.Entry(0, Instant.ofEpochMilli(T0), "WRITE", "append", "r1", 20, 0, 2, 0, 200, null,
                        true)), page.entries());
    }

    @Test
    void pagesGoBackFromAVersionAndSayWhereTheNextStarts() {
        for (int run = 0; run < 5; run++) {
            commit("append", "r" + run, 1, "split=train/part-r" + run + "-00000.parquet");
        }

        TableHistory.Page first = history().page(2, null).orElseThrow();
        TableHistory.Page second = history().page(2, first.nextBefore()).orElseThrow();
        TableHistory.Page last = history().page(2, second.nextBefore()).orElseThrow();

        assertEquals(List.of(4L, 3L), first.entries().stream().map(TableHistory.Entry::version).toList());
        assertEquals(3L, first.nextBefore());
        assertEquals(List.of(2L, 1L), second.entries().stream().map(TableHistory.Entry::version).toList());
        assertEquals(List.of(0L), last.entries().stream().map(TableHistory.Entry::version).toList());
        assertEquals(null, last.nextBefore());
        assertEquals(List.of(), history().page(5, 0L).orElseThrow().entries());
        assertEquals(List.of(4L), history().page(1, 99L).orElseThrow().entries().stream()
                .map(TableHistory.Entry::version).toList());
        assertThrows(IllegalArgumentException.class, () -> history().page(0, null));
    }

    @Test
    void aCommitWithoutMetricsIsCountedFromItsActions() {
        commit("append", "r1", 10, "split=train/part-r1-00000.parquet");
        Action.AddFile add = new Action.AddFile("split=train/part-other-1.parquet", Map.of("split", "train"), 300, now, true,
                FileStats.of(12), null);
        Action.RemoveFile remove = Shapes.remove(log().at(0).files().get("split=train/part-r1-00000.parquet"), now);
        assertTrue(log().tryCommit(1, List.of(Action.commitInfo(Map.of("timestamp", now, "operation", "OPTIMIZE")),
                Action.of(add), Action.of(remove))));

        TableHistory.Entry other = history().page(1, null).orElseThrow().entries().get(0);

        assertEquals(new TableHistory.Entry(1, Instant.ofEpochMilli(now), "OPTIMIZE", null, null, 12, 10, 1, 1, 300,
                null, true), other);
    }

    @Test
    void versionsOnlyACheckpointStillStatesAreListedAsNoLongerInTheLog() {
        for (int run = 0; run < 3; run++) {
            commit("append", "r" + run, 1, "split=train/part-r" + run + "-00000.parquet");
        }
        log().checkpoint(log().at(1));
        blobs.delete("training", log().commitName(0));
        blobs.delete("training", log().commitName(1));

        List<TableHistory.Entry> entries = history().page(10, null).orElseThrow().entries();

        assertEquals(List.of(2L, 1L, 0L), entries.stream().map(TableHistory.Entry::version).toList());
        assertEquals(List.of(true, false, false), entries.stream().map(TableHistory.Entry::inLog).toList());
        assertEquals(TableHistory.Entry.cleaned(1), entries.get(1));
    }

    @Test
    void aTableWithoutVersionsHasNoHistory() {
        assertTrue(history().page(20, null).isEmpty());
    }
}
