package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.history.RunHistory;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunState;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.table.Snapshot;
import io.tributary.table.TableLog;
import io.tributary.testing.CrashingBlobStore;
import io.tributary.testing.TableRows;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of pipelines whose output is a Delta table, through the real stages and engine on the in-memory ports: each
 * run commits one version, and the table holds what each mode says.
 */
class TableRunsTest {

    private static final String CONTACTS = """
            {"schemaVersion": 1, "name": "contacts", "trigger": {"type": "fileDrop", "path": "contacts/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                         {"name": "updated", "type": "long"}, {"name": "deleted", "type": "boolean"}],
             "split": {"keys": ["id"], "seed": 7, "fractions": {"train": 0.5, "test": 0.5}},
             "output": {"table": {"mode": "%s"%s}}}""";
    private static final String MERGE = ", \"keys\": [\"id\"], \"orderBy\": \"updated\", \"deleteWhen\": \"deleted\"";

    @TempDir
    Path work;

    private InMemoryStages stages(String mode) {
        return new InMemoryStages(CONTACTS.formatted(mode, mode.equals("merge") ? MERGE : ""), work);
    }

    private static Manifest manifest(InMemoryStages stages, ExtractMessage run) {
        return Json.read(stages.blobs.read(RunLayout.TRAINING, RunLayout.manifest("contacts", run.runId()))
                .orElseThrow().content(), Manifest.class);
    }

    private TableLog log(InMemoryStages stages) {
        return io.tributary.table.RunTables.standard(stages.blobs, stages.clock, work.resolve("t"),
                io.tributary.engine.EngineLimits.DEFAULT).log("contacts");
    }

    private List<String> rows(InMemoryStages stages, Snapshot version) throws Exception {
        return TableRows.read(stages.blobs, "contacts", version, work.resolve("read"), "id").stream()
                .map(r -> r.get("id") + ":" + r.get("name") + ":" + r.get("split")).toList();
    }

    @Test
    void appendsGrowOneTableAVersionPerRun() throws Exception {
        InMemoryStages stages = stages("append");
        ExtractMessage first = stages.drop("contacts/a.csv", "id,name,updated,deleted\n1,ann,1,false\n2,bob,1,false\n");
        stages.runToEnd(first);
        ExtractMessage second = stages.drop("contacts/b.csv", "id,name,updated,deleted\n3,cy,1,false\n");
        stages.runToEnd(second);

        Manifest one = manifest(stages, first);
        Manifest two = manifest(stages, second);
        assertEquals(0, one.table().version());
        assertEquals(1, two.table().version());
        assertEquals("training/contacts/table/", two.table().path());
        assertEquals(1, two.table().rowsAdded());
        assertTrue(two.files().get(0).path().startsWith("split="), two.files().toString());
        Snapshot latest = log(stages).latest().orElseThrow();
        assertEquals(List.of("1:ann:test", "2:bob:train", "3:cy:train"), rows(stages, latest));
        assertEquals(List.of("1:ann:test", "2:bob:train"), rows(stages, log(stages).at(0)));
        // The run's folder holds its manifest and an MLTable per split reading the table at the run's version.
        String mlTable = new String(stages.blobs.read(RunLayout.TRAINING, RunLayout.datasetFolder("contacts",
                second.runId()) + "train/MLTable").orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(mlTable.contains("  - folder: ../../table/\n"), mlTable);
        assertTrue(mlTable.contains("  - read_delta_lake:\n      version_as_of: 1\n"), mlTable);
        assertTrue(mlTable.contains("  - filter: 'col(\"split\") == \"train\"'\n"), mlTable);
        assertEquals(List.of("_manifest.json", "test/MLTable", "train/MLTable"), stages.blobs.list(RunLayout.TRAINING,
                RunLayout.datasetFolder("contacts", second.runId())).stream()
                .map(n -> n.substring(RunLayout.datasetFolder("contacts", second.runId()).length())).sorted().toList());
    }

    @Test
    void aMergeUpsertsByKeyTheNewestWinningAndDeletesWhatTheSourceDeleted() throws Exception {
        InMemoryStages stages = stages("merge");
        ExtractMessage first = stages.drop("contacts/a.csv", "id,name,updated,deleted\n"
                + "1,ann,1,false\n2,bob,1,false\n3,cy,1,false\n4,di,5,false\n");
        stages.runToEnd(first);
        // bob changes, cy is deleted, di's change is older than the table's row, eve is new; eve twice: newest wins.
        ExtractMessage second = stages.drop("contacts/b.csv", "id,name,updated,deleted\n"
                + "2,bobby,2,false\n3,cy,2,true\n4,dora,3,false\n5,ev,1,false\n5,eve,2,false\n");
        stages.runToEnd(second);

        Snapshot latest = log(stages).latest().orElseThrow();
        assertEquals(1, latest.version());
        assertEquals(List.of("1:ann:test", "2:bobby:train", "4:di:train", "5:eve:test"), rows(stages, latest));
        assertEquals(List.of("1:ann:test", "2:bob:train", "3:cy:train", "4:di:train"), rows(stages, log(stages).at(0)));
        Manifest two = manifest(stages, second);
        assertEquals("merge", two.table().mode());
        Map<String, Object> info = log(stages).commit(1).orElseThrow().stream().filter(a -> a.commitInfo() != null)
                .findFirst().orElseThrow().commitInfo();
        assertEquals("MERGE", info.get("operation"));
        @SuppressWarnings("unchecked")
        Map<String, String> metrics = (Map<String, String>) info.get("operationMetrics");
        assertEquals("1", metrics.get("numTargetRowsInserted"));
        assertEquals("1", metrics.get("numTargetRowsUpdated"));
        assertEquals("1", metrics.get("numTargetRowsDeleted"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tributary = (Map<String, Object>) info.get("tributary");
        assertEquals(second.runId().text(), tributary.get("runId"));
        assertEquals(List.of("landing/contacts/b.csv"), tributary.get("sources"));
        // The run's staged parts are gone once merged: its folder holds its manifest and MLTables.
        assertTrue(stages.blobs.list(RunLayout.TRAINING, RunLayout.datasetFolder("contacts", second.runId())).stream()
                .noneMatch(n -> n.endsWith(".parquet")));
    }

    @Test
    void aMergeRewritesOnlyTheFilesThatHoldChangedKeys() throws Exception {
        InMemoryStages stages = stages("merge");
        for (int day = 0; day < 3; day++) {
            StringBuilder csv = new StringBuilder("id,name,updated,deleted\n");
            for (int i = 0; i < 50; i++) {
                csv.append(day * 100 + i).append(",n").append(i).append(",1,false\n");
            }
            stages.runToEnd(stages.drop("contacts/d" + day + ".csv", csv.toString()));
        }
        Snapshot before = log(stages).latest().orElseThrow();
        assertEquals(6, before.files().size());
        // Only ids of the second day change: the files of days one and three stay.
        stages.runToEnd(stages.drop("contacts/change.csv", "id,name,updated,deleted\n110,changed,2,false\n"));
        Snapshot after = log(stages).latest().orElseThrow();
        List<String> kept = before.files().keySet().stream().filter(after.files()::containsKey).toList();
        assertEquals(5, kept.size(), "one file of day two rewritten: " + after.files().keySet());
        assertEquals(150, after.rows());
        assertTrue(rows(stages, after).contains("110:changed:" + split(rows(stages, before), "110")));
    }

    private static String split(List<String> rows, String id) {
        return rows.stream().filter(r -> r.startsWith(id + ":")).map(r -> r.substring(r.lastIndexOf(':') + 1))
                .collect(Collectors.joining());
    }

    @Test
    void anOverwriteReplacesTheTableInOneVersion() throws Exception {
        InMemoryStages stages = stages("overwrite");
        stages.runToEnd(stages.drop("contacts/a.csv", "id,name,updated,deleted\n1,ann,1,false\n2,bob,1,false\n"));
        ExtractMessage second = stages.drop("contacts/b.csv", "id,name,updated,deleted\n3,cy,1,false\n");
        stages.runToEnd(second);

        assertEquals(List.of("3:cy:train"), rows(stages, log(stages).latest().orElseThrow()));
        Manifest two = manifest(stages, second);
        assertEquals(2, two.table().filesRemoved());
        assertEquals(2, two.table().rowsRemoved());
    }

    @Test
    void aStoreDeliveredAgainAfterTheTableCommitCommitsNoSecondVersion() throws Exception {
        InMemoryStages stages = stages("append");
        ExtractMessage run = stages.drop("contacts/a.csv", "id,name,updated,deleted\n1,ann,1,false\n");
        stages.deliver(run);
        stages.deliverAll(io.tributary.run.TransformMessage.class);
        StoreMessage store = stages.sent(StoreMessage.class).get(0);
        // The invocation dies right after the table's commit, before the manifest.
        CrashingBlobStore dies = new CrashingBlobStore(stages.blobs, "createIfAbsent", ".*_delta_log/0+\\.json");
        assertThrows(CrashingBlobStore.Crash.class, () -> stages.store(dies).handle(store, false));
        assertTrue(stages.blobs.read(RunLayout.TRAINING, RunLayout.manifest("contacts", run.runId())).isEmpty());
        stages.deliver(store);
        stages.deliver(store);

        assertEquals(List.of(0L), log(stages).versions());
        assertEquals(0, manifest(stages, run).table().version());
        assertEquals(io.tributary.run.RunState.COMMITTED, stages.runs.outcome(run.runId()).orElseThrow().status());
    }

    @Test
    void aMergeWhoseDuplicateCommittedWhileItWasPlanningFindsTheVersionAndSucceeds() throws Exception {
        InMemoryStages stages = stages("merge");
        stages.runToEnd(stages.drop("contacts/a.csv", "id,name,updated,deleted\n1,ann,1,false\n2,bob,1,false\n"));
        ExtractMessage run = stages.drop("contacts/b.csv", "id,name,updated,deleted\n2,bobby,2,false\n3,cy,1,false\n");
        stages.deliver(run);
        stages.deliverAll(TransformMessage.class);
        StoreMessage store = stages.sent(StoreMessage.class).get(1);
        // A delivery that found no version of the run is about to fetch the run's staged part when a duplicate
        // commits the run's version and, done with them, deletes the staged parts.
        String staged = RunLayout.datasetFolder("contacts", run.runId());
        AtomicBoolean overtaken = new AtomicBoolean();
        BlobStore racing = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("download") && args[0] instanceof BlobRef blob
                            && blob.name().startsWith(staged) && overtaken.compareAndSet(false, true)) {
                        stages.deliver(store);
                    }
                    try {
                        return method.invoke(stages.blobs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        stages.store(racing).handle(store, false);

        assertTrue(overtaken.get());
        assertEquals(List.of(0L, 1L), log(stages).versions());
        assertEquals(1, manifest(stages, run).table().version());
        assertEquals(List.of("1:ann:test", "2:bobby:train", "3:cy:train"), rows(stages, log(stages).at(1)));
        assertEquals(RunState.COMMITTED, stages.runs.outcome(run.runId()).orElseThrow().status());
        assertEquals(List.of("store " + StageStatus.SUCCEEDED), new RunHistory(stages.runs).status(run.runId())
                .orElseThrow().stages().stream().filter(r -> r.stage() == Stage.STORE)
                .map(r -> "store " + r.status()).toList());
    }

    @Test
    void eachVersionIsRegisteredAsADataAssetPerSplitOnceAndAFailureNeverUndoesTheCommit() throws Exception {
        InMemoryStages stages = new InMemoryStages(CONTACTS.formatted("append", "").replace("\"output\": {",
                "\"output\": {\"azureml\": {\"asset\": \"contacts\"}, "), work);
        List<io.tributary.port.DataAssetVersion> registered = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger(1);
        stages.assets = asset -> {
            if (unavailable.getAndDecrement() > 0) {
                throw new io.tributary.port.DataAssetException(io.tributary.port.DataAssetException.Kind.UNAVAILABLE,
                        "the workspace answered 503", true, null);
            }
            registered.add(asset);
            return io.tributary.port.DataAssets.Registration.CREATED;
        };
        ExtractMessage run = stages.drop("contacts/a.csv", "id,name,updated,deleted\n1,ann,1,false\n2,bob,1,false\n");
        stages.deliver(run);
        stages.deliverAll(io.tributary.run.TransformMessage.class);
        StoreMessage store = stages.sent(StoreMessage.class).get(0);
        // The first delivery commits, then meets a workspace that is unavailable: a later delivery registers.
        assertThrows(io.tributary.port.DataAssetException.class, () -> stages.deliver(store));
        assertEquals(List.of(0L), log(stages).versions());
        stages.deliver(store);
        stages.deliver(store);

        assertEquals(List.of("contacts-train:0", "contacts-test:0"), registered.stream()
                .map(io.tributary.port.DataAssetVersion::label).toList());
        io.tributary.port.DataAssetVersion train = registered.get(0);
        assertEquals("azureml://datastores/tributary_training/paths/contacts/" + run.runId() + "/train/",
                train.dataUri().toString());
        assertEquals(run.runId().text(), train.tags().get("tributary.runId"));
        assertEquals("0", train.tags().get("tributary.tableVersion"));
        byte[] manifest = stages.blobs.read(RunLayout.TRAINING, RunLayout.manifest("contacts", run.runId()))
                .orElseThrow().content();
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(manifest)), train.tags().get("tributary.manifestSha256"));
        assertEquals(io.tributary.run.RunState.COMMITTED, stages.runs.outcome(run.runId()).orElseThrow().status());

        // A workspace that refuses: the commit stands, the refusal is recorded and alerted, once.
        stages.assets = asset -> {
            throw new io.tributary.port.DataAssetException(io.tributary.port.DataAssetException.Kind.CREDENTIALS,
                    "the app's identity may not register data assets", false, null);
        };
        ExtractMessage second = stages.drop("contacts/b.csv", "id,name,updated,deleted\n3,cy,1,false\n");
        stages.runToEnd(second);
        assertEquals(io.tributary.run.RunState.COMMITTED, stages.runs.outcome(second.runId()).orElseThrow().status());
        io.tributary.run.AssetRegistration failed = Json.read(stages.blobs.read(RunLayout.RUNS,
                RunLayout.registration(second.runId())).orElseThrow().content(), io.tributary.run.AssetRegistration.class);
        assertEquals("failed", failed.status());
        assertEquals(List.of("contacts-train:1", "contacts-test:1"), failed.assets());
        assertEquals("credentials: the app's identity may not register data assets", failed.detail());
        assertEquals(List.of(io.tributary.run.Alert.REGISTRATION_FAILED), stages.alerted.stream()
                .map(io.tributary.run.Alert::kind).toList());
    }
}
