package io.tributary.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.engine.EngineLimits;
import io.tributary.engine.ParquetJson;
import io.tributary.run.OutputColumn;
import io.tributary.run.RunId;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vacuum on the real log over the in-memory blob store, with a clock the test moves: what it deletes (removed files
 * past the retention, files no version named written before it) and what it never deletes (what the newest version
 * reads, what a run still running wrote, the log, files that are not Tributary's).
 */
class TableVacuumTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    private static final List<OutputColumn> COLUMNS = List.of(new OutputColumn("id", "BIGINT"),
            new OutputColumn("name", "VARCHAR"));

    @TempDir
    Path work;

    private final MovableClock clock = new MovableClock(T0);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final Set<RunId> ended = new HashSet<>();

    private TableLog log() {
        return new TableLog(blobs, "training", "p/table/", new ParquetCheckpoints(new ParquetJson(EngineLimits.DEFAULT),
                work));
    }

    private static RunId run(String name) {
        return RunId.forRequest("p", name, T0);
    }

    private static String part(RunId run, String split, int n) {
        return "split=" + split + "/part-" + run + "-0000" + n + ".parquet";
    }

    /** Stores {@code path} in the table's folder now, as a run's upload does. */
    private void write(String path) {
        blobs.put("training", "p/table/" + path, ("data of " + path).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code paths} and commits them as run {@code run} in {@code mode}; the run then ends. */
    private void commit(String mode, RunId run, String... paths) {
        for (String path : paths) {
            write(path);
        }
        List<TableFile> files = java.util.Arrays.stream(paths).map(p -> new TableFile(p, 10, 100)).toList();
        RunInfo info = new RunInfo("p", run.text(), "hash", List.of(), "test");
        new TableCommits(clock::millis).commit(log(), info.appId(), new RunWrite(new TableShape(
                TableLogTest.definition(mode), COLUMNS), info, files, clock.millis()));
        ended.add(run);
    }

    private TableVacuum.Vacuumed vacuum(Duration retention, boolean dryRun) {
        return new TableVacuum(log(), ended::contains, clock).vacuum(retention, dryRun);
    }

    private boolean stored(String path) {
        return blobs.properties("training", "p/table/" + path).isPresent();
    }

    private static List<String> paths(TableVacuum.Vacuumed vacuumed) {
        return vacuumed.deleted().stream().map(TableVacuum.Deletion::path).sorted().toList();
    }

    @Test
    void aRemovedFileGoesOnlyOnceItsRemovalIsPastTheRetention() {
        RunId first = run("first");
        RunId second = run("second");
        commit("overwrite", first, part(first, "train", 0), part(first, "test", 0));
        clock.advance(Duration.ofDays(1));
        Instant removedAt = clock.instant();
        commit("overwrite", second, part(second, "train", 0));

        clock.set(removedAt.plus(WEEK).minusSeconds(60));
        TableVacuum.Vacuumed inside = vacuum(WEEK, false);
        assertEquals(List.of(), inside.deleted());
        assertEquals(2, inside.kept());
        assertEquals(1L, inside.version());

        clock.set(removedAt.plus(WEEK).plusSeconds(60));
        TableVacuum.Vacuumed outside = vacuum(WEEK, false);
        assertEquals(List.of(part(first, "test", 0), part(first, "train", 0)), paths(outside));
        assertTrue(outside.deleted().stream().allMatch(d -> d.reason() == TableVacuum.Reason.REMOVED));
        assertEquals(("data of " + part(first, "train", 0)).length() + ("data of " + part(first, "test", 0)).length(),
                outside.bytes());
        assertEquals(removedAt.plus(WEEK).plusSeconds(60).minus(WEEK), outside.cutoff());
        assertTrue(!stored(part(first, "train", 0)) && !stored(part(first, "test", 0)));
        assertTrue(stored(part(second, "train", 0)));
        assertEquals(List.of(0L, 1L), log().versions(), "the log is never touched");
        // The newest version reads as before; the first can no longer be read whole.
        assertEquals(List.of(part(second, "train", 0)), List.copyOf(log().latest().orElseThrow().files().keySet()));
    }

    @Test
    void aFileNoVersionNamedGoesOnceWrittenBeforeTheRetentionAndItsRunEnded() {
        RunId committed = run("committed");
        RunId failedLongAgo = run("failed-long-ago");
        RunId failedLately = run("failed-lately");
        RunId running = run("running");
        commit("append", committed, part(committed, "train", 0));
        write(part(failedLongAgo, "train", 0));
        write(part(running, "test", 0));
        write("notes.txt");
        write("_staging/x.parquet");
        ended.add(failedLongAgo);
        clock.advance(WEEK.plusDays(1).minusHours(2));
        write(part(failedLately, "train", 0));
        ended.add(failedLately);
        clock.advance(Duration.ofHours(2));

        TableVacuum.Vacuumed vacuumed = vacuum(WEEK, false);

        assertEquals(List.of(part(failedLongAgo, "train", 0)), paths(vacuumed));
        assertEquals(TableVacuum.Reason.UNCOMMITTED, vacuumed.deleted().get(0).reason());
        assertEquals(2, vacuumed.kept(), "the lately failed run's file, and the running run's");
        // A run may take longer than the retention: its parts stay until it ends, then go like any other's.
        assertTrue(stored(part(running, "test", 0)));
        assertTrue(stored(part(failedLately, "train", 0)));
        assertTrue(stored("notes.txt") && stored("_staging/x.parquet"), "what is not Tributary's stays");
        assertTrue(stored(part(committed, "train", 0)));
        ended.add(running);
        assertEquals(List.of(part(running, "test", 0)), paths(vacuum(WEEK, false)));
    }

    @Test
    void aDryRunSaysWhatItWouldDeleteAndDeletesNothing() {
        RunId first = run("first");
        RunId second = run("second");
        RunId failed = run("failed");
        commit("overwrite", first, part(first, "train", 0));
        write(part(failed, "train", 0));
        ended.add(failed);
        commit("overwrite", second, part(second, "train", 0));
        clock.advance(Duration.ofDays(30));

        TableVacuum.Vacuumed dry = vacuum(WEEK, true);

        assertTrue(dry.dryRun());
        assertEquals(java.util.stream.Stream.of(part(failed, "train", 0), part(first, "train", 0)).sorted().toList(),
                paths(dry));
        assertTrue(stored(part(first, "train", 0)) && stored(part(failed, "train", 0)));
        assertEquals(paths(dry), paths(vacuum(WEEK, false)));
        assertTrue(!stored(part(first, "train", 0)) && !stored(part(failed, "train", 0)));
    }

    @Test
    void whatTheNewestVersionReadsStaysHoweverOld() {
        RunId first = run("first");
        RunId second = run("second");
        commit("append", first, part(first, "train", 0));
        commit("append", second, part(second, "test", 0));
        clock.advance(Duration.ofDays(365));

        TableVacuum.Vacuumed vacuumed = vacuum(Duration.ofHours(1), false);

        assertEquals(List.of(), vacuumed.deleted());
        assertEquals(0, vacuumed.kept());
        assertTrue(stored(part(first, "train", 0)) && stored(part(second, "test", 0)));
    }

    @Test
    void aTableWithoutVersionsLosesOnlyTheOldFilesOfEndedRuns() {
        RunId failed = run("failed");
        write(part(failed, "train", 0));
        ended.add(failed);
        clock.advance(Duration.ofDays(8));

        TableVacuum.Vacuumed vacuumed = vacuum(WEEK, false);

        assertEquals(null, vacuumed.version());
        assertEquals(List.of(part(failed, "train", 0)), paths(vacuumed));
    }

    @Test
    void aRetentionUnderAnHourIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> vacuum(Duration.ofMinutes(59), false));
        assertEquals("a retention of 59m could delete a file a reader is still reading; give at least 1h",
                refused.getMessage());
    }

    @Test
    void aCheckpointLeavesOutTheTombstonesPastTheRetention() {
        RunId first = run("first");
        RunId second = run("second");
        RunId third = run("third");
        commit("overwrite", first, part(first, "train", 0));
        clock.advance(Duration.ofDays(1));
        commit("overwrite", second, part(second, "train", 0));
        clock.advance(Duration.ofDays(9));
        commit("overwrite", third, part(third, "train", 0));
        Snapshot latest = log().latest().orElseThrow();
        assertEquals(2, latest.tombstones().size());

        Snapshot kept = latest.withoutTombstonesBefore(clock.instant().minus(WEEK).toEpochMilli());
        log().checkpoint(kept);

        // The first run's file was removed 9 days ago: past a week, its tombstone is dropped; the second's stays.
        Snapshot read = log().latest().orElseThrow();
        assertEquals(List.of(part(second, "train", 0)), List.copyOf(read.tombstones().keySet()));
        assertEquals(List.of(part(third, "train", 0)), List.copyOf(read.files().keySet()));
        // Vacuum still deletes the dropped tombstone's file: no version names it, and it is old.
        assertEquals(List.of(part(first, "train", 0)), paths(vacuum(WEEK, false)));
    }
}
