package io.tributary.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.ParquetJson;
import io.tributary.run.OutputColumn;
import io.tributary.testing.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableLogTest {

    private static final List<OutputColumn> COLUMNS = List.of(new OutputColumn("id", "BIGINT"),
            new OutputColumn("name", "VARCHAR"));

    @TempDir
    Path work;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private long now = 1_700_000_000_000L;

    private TableLog log() {
        return new TableLog(blobs, "training", "p/table/", new ParquetCheckpoints(
                new ParquetJson(EngineLimits.DEFAULT), work));
    }

    static PipelineDefinition definition(String mode) {
        String json = """
                {"schemaVersion": 1, "name": "p", "trigger": {"type": "fileDrop", "path": "p/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
                 "split": {"keys": ["id"], "fractions": {"train": 0.5, "test": 0.5}},
                 "output": {"table": {"mode": "%s"}}}
                """.formatted(mode);
        var result = DefinitionReader.read("p.json", json, null);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    private TableCommits.Committed append(String mode, String runId, String... paths) {
        List<TableFile> files = java.util.Arrays.stream(paths).map(p -> new TableFile(p, 10, 100)).toList();
        RunWrite write = new RunWrite(new TableShape(definition(mode), COLUMNS),
                new RunInfo("p", runId, "hash", List.of("landing/p/a.csv"), "test"), files, now);
        return new TableCommits(() -> now++).commit(log(), new RunInfo("p", runId, "h", List.of(), "t").appId(), write);
    }

    @Test
    void appendsCommitOneVersionEachAndARunOnlyOnce() {
        TableCommits.Committed first = append("append", "r1", "split=train/part-r1-00000.parquet");
        TableCommits.Committed second = append("append", "r2", "split=test/part-r2-00000.parquet");
        TableCommits.Committed again = append("append", "r1", "split=train/part-r1-00000.parquet");

        assertEquals(0, first.version());
        assertEquals(1, second.version());
        assertEquals(0, again.version());
        assertTrue(again.already());
        Snapshot latest = log().latest().orElseThrow();
        assertEquals(1, latest.version());
        assertEquals(List.of("split=train/part-r1-00000.parquet", "split=test/part-r2-00000.parquet"),
                List.copyOf(latest.files().keySet()));
        assertEquals(Map.of("split", "test"), latest.files().get("split=test/part-r2-00000.parquet").partitionValues());
        assertEquals(20, latest.rows());
        assertEquals(List.of(0L, 1L), log().versions());
    }

    @Test
    void anOverwriteRemovesEveryFileAndTimeTravelStillSeesThem() {
        append("overwrite", "r1", "split=train/part-r1-00000.parquet", "split=test/part-r1-00000.parquet");
        long afterFirst = now;
        now += 1000;
        append("overwrite", "r2", "split=train/part-r2-00000.parquet");

        assertEquals(List.of("split=train/part-r2-00000.parquet"), List.copyOf(log().latest().orElseThrow().files().keySet()));
        assertEquals(2, log().at(0).files().size());
        assertEquals(2, log().latest().orElseThrow().tombstones().size());
        assertEquals(0, log().asOf(Instant.ofEpochMilli(afterFirst)).version());
        assertEquals(1, log().asOf(Instant.ofEpochMilli(now)).version());
        IllegalArgumentException tooEarly = assertThrows(IllegalArgumentException.class,
                () -> log().asOf(Instant.ofEpochMilli(1000)));
        assertTrue(tooEarly.getMessage().contains("oldest version, 0, was committed after"), tooEarly.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> log().at(7));
        assertEquals("the table has no version 7; its log holds versions 0 to 1", missing.getMessage());
    }

    @Test
    void anOlderRunsOverwriteAfterANewerOneIsARealConflict() {
        append("overwrite", "20261208T000002Z-b", "split=train/part-b-00000.parquet");
        TableConflictException conflict = assertThrows(TableConflictException.class,
                () -> append("overwrite", "20261208T000001Z-a", "split=train/part-a-00000.parquet"));
        assertTrue(conflict.getMessage().startsWith("run 20261208T000002Z-b, which started after this run, already "
                + "replaced the table's rows"), conflict.getMessage());
        assertEquals(0, log().latest().orElseThrow().version());
    }

    @Test
    void aChangedSchemaIsAConflictForAnAppendAndANewShapeForAnOverwrite() {
        append("append", "r1", "split=train/part-r1-00000.parquet");
        List<OutputColumn> wider = List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("name", "VARCHAR"),
                new OutputColumn("score", "DOUBLE"));
        RunWrite appendWider = new RunWrite(new TableShape(definition("append"), wider),
                new RunInfo("p", "r2", "h", List.of(), "t"), List.of(new TableFile("split=train/x.parquet", 1, 1)), now);
        TableConflictException conflict = assertThrows(TableConflictException.class,
                () -> new TableCommits(() -> now).commit(log(), "r2", appendWider));
        assertTrue(conflict.getMessage().startsWith("the table's columns are (id long, name string, split string); "
                + "this run's are (id long, name string, score double, split string)"), conflict.getMessage());

        RunWrite overwriteWider = new RunWrite(new TableShape(definition("overwrite"), wider),
                new RunInfo("p", "r3", "h", List.of(), "t"), List.of(new TableFile("split=train/y.parquet", 1, 1)), now);
        assertEquals(1, new TableCommits(() -> now).commit(log(), "r3", overwriteWider).version());
        Snapshot latest = log().latest().orElseThrow();
        assertEquals(Map.of("id", "long", "name", "string", "score", "double", "split", "string"),
                TableSchema.columnsOf(latest.metadata().schemaString()));
        assertEquals(log().at(0).metadata().id(), latest.metadata().id());
    }

    @Test
    void aCheckpointStatesItsVersionAlone() {
        for (int i = 0; i < 12; i++) {
            append("append", "r" + i, "split=train/part-r" + i + "-00000.parquet");
        }
        Snapshot ten = log().at(10);
        log().checkpoint(ten);
        // The commits it covers may go: the checkpoint alone states version 10.
        for (int v = 0; v <= 10; v++) {
            blobs.delete("training", log().commitName(v));
        }
        Snapshot latest = log().latest().orElseThrow();
        assertEquals(11, latest.version());
        assertEquals(12, latest.files().size());
        assertEquals(12, latest.txns().size());
        assertEquals(Map.of("split", "train"), latest.files().get("split=train/part-r3-00000.parquet").partitionValues());
        assertEquals(ten.metadata(), log().at(10).metadata());
        assertEquals(ten.protocol(), log().at(10).protocol());
        assertEquals(ten.files(), log().at(10).files());
        assertFalse(blobs.read("training", "p/table/_delta_log/_last_checkpoint").isEmpty());
    }

    @Test
    void pathsAreEncodedAndPartitionValuesDecoded() {
        assertEquals("region=north%2520east/a%20b.parquet", DataPaths.encode("region=north%20east/a b.parquet"));
        assertEquals("region=north%20east/a b.parquet", DataPaths.decode("region=north%2520east/a%20b.parquet"));
        assertEquals(Map.of("split", "train", "region", "a/b=c%d"),
                DataPaths.partitionValues("split=train/region=a%2Fb%3Dc%25d/part-0.parquet", List.of("split", "region")));
        Map<String, String> nulls = DataPaths.partitionValues("region=__HIVE_DEFAULT_PARTITION__/p.parquet",
                List.of("region"));
        assertTrue(nulls.containsKey("region"));
        assertEquals(null, nulls.get("region"));
    }

    /** {@code change}, planned once after {@code competitor} commits: the version it planned for is taken. */
    private static TableCommits.Change losingTheRaceTo(Runnable competitor, TableCommits.Change change) {
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        return new TableCommits.Change() {
            @Override
            public List<Action> plan(java.util.Optional<Snapshot> current) {
                List<Action> planned = change.plan(current);
                if (!raced.getAndSet(true)) {
                    competitor.run();
                }
                return planned;
            }

            @Override
            public Map<String, Object> commitInfo(List<Action> planned) {
                return change.commitInfo(planned);
            }
        };
    }

    @Test
    void aWriterThatLosesAVersionToAnotherCommitsOnTheNext() {
        append("append", "r1", "split=train/part-r1-00000.parquet");
        RunInfo run = new RunInfo("p", "r2", "h", List.of(), "t");
        RunWrite ours = new RunWrite(new TableShape(definition("append"), COLUMNS), run,
                List.of(new TableFile("split=train/part-r2-00000.parquet", 10, 100)), now);
        TableCommits.Committed committed = new TableCommits(() -> now++).commit(log(), run.appId(),
                losingTheRaceTo(() -> append("append", "r3", "split=test/part-r3-00000.parquet"), ours));

        assertEquals(2, committed.version());
        assertEquals(List.of("split=train/part-r1-00000.parquet", "split=test/part-r3-00000.parquet",
                "split=train/part-r2-00000.parquet"), List.copyOf(log().latest().orElseThrow().files().keySet()));
        assertEquals(java.util.Optional.of(2L), log().latest().orElseThrow().txnVersion(run.appId()));
    }

    @Test
    void aCompetitorThatChangesTheTablesShapeIsARealConflict() {
        append("append", "r1", "split=train/part-r1-00000.parquet");
        RunInfo run = new RunInfo("p", "r2", "h", List.of(), "t");
        RunWrite ours = new RunWrite(new TableShape(definition("append"), COLUMNS), run,
                List.of(new TableFile("split=train/part-r2-00000.parquet", 10, 100)), now);
        List<OutputColumn> wider = List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("name", "VARCHAR"),
                new OutputColumn("score", "DOUBLE"));
        Runnable overwrite = () -> new TableCommits(() -> now).commit(log(), "r3", new RunWrite(
                new TableShape(definition("overwrite"), wider), new RunInfo("p", "r3", "h", List.of(), "t"),
                List.of(new TableFile("split=train/part-r3-00000.parquet", 1, 1)), now));

        TableConflictException conflict = assertThrows(TableConflictException.class, () -> new TableCommits(() -> now)
                .commit(log(), run.appId(), losingTheRaceTo(overwrite, ours)));
        assertTrue(conflict.getMessage().startsWith("the table's columns are (id long, name string, score double, "
                + "split string); this run's are (id long, name string, split string)"), conflict.getMessage());
        assertEquals(1, log().latest().orElseThrow().version());
    }
}
