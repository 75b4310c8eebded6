package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunState;
import io.tributary.storage.AzureBlobStore;
import io.tributary.table.Snapshot;
import io.tributary.table.TableLog;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.DeltaTables;
import io.tributary.testing.RunStages;
import io.tributary.testing.TableDownload;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables Tributary commits on Azurite, read back by an independent Delta reader (Delta Kernel for Java) at every
 * version: after appends, merges with updates and deletes, an overwrite and a checkpoint, every row Kernel reads is
 * the row Tributary committed, with its type, and the files it reads are those Tributary's log names.
 */
class DeltaTableIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        var clients = AZURITE.clients();
        clients.provision();
        blobs = new AzureBlobStore(clients.blobs());
    }

    private static final String CONTACTS = """
            {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                         {"name": "score", "type": "decimal(10,2)"}, {"name": "born", "type": "date"},
                         {"name": "updated", "type": "timestamp"}, {"name": "deleted", "type": "boolean"}],
             "split": {"keys": ["id"], "seed": 7, "fractions": {"train": 0.7, "test": 0.3}},
             "output": {"table": %s}}""";

    private static PipelineDefinition definition(String name, String table) {
        var result = DefinitionReader.read(name + ".json", CONTACTS.formatted(name, name, table), null);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    private Manifest run(RunStages stages, String file, String csv) {
        String name = stages.pipeline().name() + "/" + file;
        blobs.put(RunLayout.LANDING, name, ("id,name,score,born,updated,deleted\n" + csv).getBytes(StandardCharsets.UTF_8));
        BlobRef source = blobs.current(RunLayout.LANDING + "/" + name).orElseThrow();
        RunId runId = stages.start(source, Map.of());
        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status(), () -> stages.runs().outcome(runId).toString());
        return new io.tributary.history.RunHistory(stages.runs()).manifest(stages.pipeline().name(), runId).orElseThrow();
    }

    /** Kernel's rows of {@code version}, one line each: id, name, score, born, updated, split; sorted by id. */
    private static List<String> kernelRows(Path table, long version) {
        return DeltaTables.rows(table, version).stream().map(DeltaTableIT::line).sorted().toList();
    }

    private static String line(Map<String, Object> row) {
        assertTrue(row.get("id") instanceof Long, "id " + row.get("id"));
        assertTrue(row.get("score") == null || row.get("score") instanceof BigDecimal, "score " + row.get("score"));
        assertTrue(row.get("born") == null || row.get("born") instanceof LocalDate, "born " + row.get("born"));
        assertTrue(row.get("updated") instanceof LocalDateTime, "updated " + row.get("updated"));
        return row.get("id") + " " + row.get("name") + " " + row.get("score") + " " + row.get("born") + " "
                + row.get("updated") + " " + row.get("split");
    }

    private static List<String> tributaryFiles(TableLog log, long version) {
        return log.at(version).files().keySet().stream().sorted().toList();
    }

    @Test
    void kernelReadsEveryVersionOfAMergedTableAsTributaryCommittedIt() throws Exception {
        PipelineDefinition pipeline = definition("contacts", """
                {"mode": "merge", "keys": ["id"], "orderBy": "updated", "deleteWhen": "deleted", "checkpointInterval": 2}""");
        RunStages stages = RunStages.on(blobs, dir, pipeline, n -> Optional.empty());
        run(stages, "1.csv", """
                1,ann,10.50,1990-01-02,2026-12-01T10:00:00,false
                2,bob,7.25,1985-05-06,2026-12-01T10:00:00,false
                3,cy,,1979-12-31,2026-12-01T10:00:00,false
                4,di,99.99,,2026-12-01T10:00:00,false
                """);
        Manifest second = run(stages, "2.csv", """
                2,bobby,8.00,1985-05-06,2026-12-02T09:30:00.123456,false
                3,cy,,1979-12-31,2026-12-02T09:30:00,true
                5,eve,1.01,2000-02-29,2026-12-02T09:30:00,false
                """);
        run(stages, "3.csv", "4,dora,99.99,,2026-12-03T08:00:00,false\n");
        run(stages, "4.csv", "6,fay,3.33,1999-09-09,2026-12-04T08:00:00,false\n");

        Path table = TableDownload.of(blobs, "contacts", dir.resolve("copy"));
        TableLog log = io.tributary.table.RunTables.standard(blobs, java.time.Clock.systemUTC(), dir.resolve("t"),
                io.tributary.engine.EngineLimits.DEFAULT).log("contacts");
        assertEquals(3, DeltaTables.latestVersion(table));
        Map<String, String> splits = new TreeMap<>();
        for (long v = 0; v <= 3; v++) {
            assertEquals(tributaryFiles(log, v), DeltaTables.files(table, v).stream().sorted().toList(), "files of v" + v);
            for (String row : kernelRows(table, v)) {
                String id = row.substring(0, row.indexOf(' '));
                String split = row.substring(row.lastIndexOf(' ') + 1);
                // A key keeps its split in every version.
                assertEquals(splits.computeIfAbsent(id, k -> split), split, "split of " + id + " at v" + v);
            }
        }
        assertEquals(List.of("1 ann 10.50 1990-01-02 2026-12-01T10:00 " + splits.get("1"),
                "2 bob 7.25 1985-05-06 2026-12-01T10:00 " + splits.get("2"),
                "3 cy null 1979-12-31 2026-12-01T10:00 " + splits.get("3"),
                "4 di 99.99 null 2026-12-01T10:00 " + splits.get("4")), kernelRows(table, 0));
        assertEquals(List.of("1 ann 10.50 1990-01-02 2026-12-01T10:00 " + splits.get("1"),
                "2 bobby 8.00 1985-05-06 2026-12-02T09:30:00.123456 " + splits.get("2"),
                "4 di 99.99 null 2026-12-01T10:00 " + splits.get("4"),
                "5 eve 1.01 2000-02-29 2026-12-02T09:30 " + splits.get("5")), kernelRows(table, 1));
        assertEquals(List.of("1 ann 10.50 1990-01-02 2026-12-01T10:00 " + splits.get("1"),
                "2 bobby 8.00 1985-05-06 2026-12-02T09:30:00.123456 " + splits.get("2"),
                "4 dora 99.99 null 2026-12-03T08:00 " + splits.get("4"),
                "5 eve 1.01 2000-02-29 2026-12-02T09:30 " + splits.get("5"),
                "6 fay 3.33 1999-09-09 2026-12-04T08:00 " + splits.get("6")), kernelRows(table, 3));
        assertEquals(1, second.table().version());

        // A pipeline that consumes the table reads the version that started it: the whole table as it was then.
        var consumer = DefinitionReader.read("names.json", """
                {"schemaVersion": 1, "name": "names", "trigger": {"type": "dataset", "pipeline": "contacts"},
                 "source": {"format": "parquet"}, "steps": [{"op": "select", "columns": ["id", "name"]}]}""", null);
        RunStages names = RunStages.on(blobs, dir.resolve("names"), consumer.definition().orElseThrow(
                () -> new AssertionError(consumer.problems().toString())), n -> Optional.empty());
        BlobRef secondManifest = blobs.current(RunLayout.TRAINING + "/" + RunLayout.manifest("contacts",
                second.runId())).orElseThrow();
        RunId read = names.start(secondManifest, Map.of());
        assertEquals(RunState.COMMITTED, names.runToEnd(read).status(), () -> names.runs().outcome(read).toString());
        Manifest namesManifest = new io.tributary.history.RunHistory(names.runs()).manifest("names", read).orElseThrow();
        assertEquals(kernelRows(table, 1).size(), namesManifest.rows().out());
        assertEquals(4, namesManifest.rows().out());
        assertEquals(Set.of("train", "test"), Set.copyOf(splits.values()));

        // Version 2 has a checkpoint: Kernel reads it alone once the commits before it are gone.
        assertTrue(Files.exists(table.resolve("_delta_log/00000000000000000002.checkpoint.parquet")));
        Files.delete(table.resolve("_delta_log/00000000000000000000.json"));
        Files.delete(table.resolve("_delta_log/00000000000000000001.json"));
        assertEquals(kernelRows(dir.resolve("copy"), 3), DeltaTables.rows(table).stream().map(DeltaTableIT::line)
                .sorted().toList());
        Snapshot latest = log.latest().orElseThrow();
        assertEquals(5, latest.rows());
    }

    @Test
    void kernelReadsAppendsAndAnOverwrite() throws Exception {
        RunStages appends = RunStages.on(blobs, dir.resolve("a"), definition("daily", "{\"mode\": \"append\"}"),
                n -> Optional.empty());
        run(appends, "1.csv", "1,ann,1.00,1990-01-02,2026-12-01T10:00:00,false\n");
        run(appends, "2.csv", "1,ann,2.00,1990-01-02,2026-12-02T10:00:00,false\n2,bob,3.00,,2026-12-02T10:00:00,false\n");
        Path daily = TableDownload.of(blobs, "daily", dir.resolve("daily"));
        assertEquals(List.of("1 ann 1.00 1990-01-02 2026-12-01T10:00", "1 ann 2.00 1990-01-02 2026-12-02T10:00",
                "2 bob 3.00 null 2026-12-02T10:00"), withoutSplit(kernelRows(daily, 1)));
        assertEquals(List.of("1 ann 1.00 1990-01-02 2026-12-01T10:00"), withoutSplit(kernelRows(daily, 0)));

        RunStages overwrites = RunStages.on(blobs, dir.resolve("o"), definition("full", "{\"mode\": \"overwrite\"}"),
                n -> Optional.empty());
        run(overwrites, "1.csv", "1,ann,1.00,1990-01-02,2026-12-01T10:00:00,false\n2,bob,3.00,,2026-12-02T10:00:00,false\n");
        Manifest second = run(overwrites, "2.csv", "3,cy,4.00,,2026-12-03T10:00:00,false\n");
        Path full = TableDownload.of(blobs, "full", dir.resolve("full"));
        assertEquals(List.of("3 cy 4.00 null 2026-12-03T10:00"), withoutSplit(kernelRows(full, 1)));
        assertEquals(2, withoutSplit(kernelRows(full, 0)).size());
        assertEquals(2, second.table().rowsRemoved());
    }

    private static List<String> withoutSplit(List<String> rows) {
        return rows.stream().map(r -> r.substring(0, r.lastIndexOf(' '))).collect(Collectors.toList());
    }
}
