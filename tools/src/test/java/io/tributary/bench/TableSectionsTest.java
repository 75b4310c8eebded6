package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.engine.EngineLimits;
import io.tributary.run.RunLayout;
import io.tributary.table.RunTables;
import io.tributary.table.Snapshot;
import io.tributary.testing.InMemoryBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (f) and (g) on an in-memory blob store: the tables they build and the figures they count, not their times. */
class TableSectionsTest {

    @TempDir
    Path dir;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8));

    private RunTables tables() {
        return RunTables.standard(blobs, Clock.systemUTC(), dir.resolve("engine"), EngineLimits.DEFAULT);
    }

    @Test
    void theLogSectionReadsAVersionWithAndWithoutCheckpointsThenAppendsEachWayInTurn() {
        TableLogSection.Figures figures = new TableLogSection(blobs, tables(), dir.resolve("log"), progress).run(25);

        assertEquals(25, figures.files());
        assertEquals(20, figures.checkpoint());
        assertEquals(20, figures.appendCommitMs().count());
        assertEquals(20, figures.runCommitMs().count());
        assertEquals(3, figures.noCheckpointMs().count());
        Snapshot appended = tables().log(BenchTables.EVENTS.pipeline()).latest().orElseThrow();
        assertEquals(64, appended.version());
        assertEquals(65 * 10, appended.rows());
        // Every tenth version has its checkpoint, whichever way it was committed.
        List<String> log = blobs.list(RunLayout.TRAINING, RunLayout.table(BenchTables.EVENTS.pipeline()) + "_delta_log/");
        assertEquals(List.of("00000000000000000010", "00000000000000000020", "00000000000000000030",
                "00000000000000000040", "00000000000000000050", "00000000000000000060"), log.stream().filter(n -> n.endsWith(".checkpoint.parquet"))
                .map(n -> n.substring(n.lastIndexOf('/') + 1, n.lastIndexOf('/') + 21)).toList());
        // The copy holds the same 25 commits and no checkpoint, and its files.
        List<String> plain = blobs.list(RunLayout.TRAINING, RunLayout.table(TableLogSection.NO_CHECKPOINTS));
        assertEquals(25, plain.stream().filter(n -> n.endsWith(".json")).count());
        assertEquals(25, plain.stream().filter(n -> n.endsWith(".parquet")).count());
        Snapshot copy = tables().log(TableLogSection.NO_CHECKPOINTS).latest().orElseThrow();
        assertEquals(24, copy.version());
        assertEquals(tables().log(BenchTables.EVENTS.pipeline()).at(24).files().keySet(), copy.files().keySet());
    }

    @Test
    void theMergeSectionRewritesTheFilesTheChangedKeysFallIn() throws Exception {
        TableMergeSection.Figures figures = new TableMergeSection(blobs, tables(), dir.resolve("merge"), progress)
                .run(300_000);

        // Row groups of 122,880 rows: 240,000 train rows in two files, 60,000 test rows in one.
        assertEquals(3, figures.files());
        assertEquals(3_000, figures.clustered().keys());
        assertEquals(3, figures.clustered().filesBefore());
        // The newest 3,000 ids: the second train file and the test file.
        assertEquals(2, figures.clustered().filesRewritten());
        assertTrue(figures.clustered().rowsRewritten() < 300_000, figures.toString());
        assertEquals(3_000, figures.spread().keys());
        assertEquals(3, figures.spread().filesRewritten());
        assertEquals(300_000, figures.spread().rowsRewritten());
        assertEquals(figures.full().filesBefore(), figures.full().filesRewritten());
        assertEquals(300_000, figures.full().rowsRewritten());
        Snapshot merged = tables().log(BenchTables.ACCOUNTS.pipeline()).latest().orElseThrow();
        assertEquals(4, merged.version());
        assertEquals(300_000, merged.rows());
        assertTrue(merged.files().values().stream().allMatch(f -> f.tags() != null
                && f.tags().containsKey("tributary.keyMin")), merged.files().toString());
    }
}
