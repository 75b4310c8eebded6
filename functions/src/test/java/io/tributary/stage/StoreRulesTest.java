package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.port.RunSummary;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.DatasetTriggers;
import io.tributary.start.RunStarter;
import io.tributary.testing.CrashingBlobStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of the commit ({@link StoreStage}) on the in-memory ports with the real engine: a store message delivered
 * twice, again after its invocation died right after the manifest, or again after the run committed, commits one
 * manifest, moves {@code latest.json} once and starts each consuming pipeline's run once. {@code ExactlyOnceIT} holds
 * the same rules against Azurite.
 */
class StoreRulesTest {

    private static final String ORDERS = """
            {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "units", "type": "long"}]}""";

    private static final String FEATURES = """
            {"schemaVersion": 1, "name": "features", "trigger": {"type": "dataset", "pipeline": "orders"},
             "source": {"format": "parquet"}, "columns": [{"name": "id", "type": "long"}]}""";

    @TempDir
    Path work;

    private InMemoryStages stages;

    /** A run of two orders whose only chunk is transformed: its store message, not yet delivered. */
    private StoreMessage transformed() {
        stages = new InMemoryStages(ORDERS, work);
        stages.deliver(stages.drop("orders/a.csv", "id,units\n1,5\n2,7\n"));
        stages.deliverAll(TransformMessage.class);
        List<StoreMessage> stores = stages.sent(StoreMessage.class);
        assertEquals(1, stores.size());
        return stores.get(0);
    }

    /** The store stage with the real dataset trigger: {@code features} consumes what {@code orders} commits. */
    private StoreStage store(io.tributary.port.BlobStore over) {
        PipelineCatalog catalog = PipelineCatalog.of(List.of(stages.pipeline,
                DefinitionReader.read("features.json", FEATURES, null).definition().orElseThrow()));
        return new StoreStage(stages.runs(over), stages.clock, name -> List.of(), new DatasetTriggers(() -> catalog,
                new RunStarter(stages.runs(over), stages.queue, stages.clock), over));
    }

    private String manifest(StoreMessage message) {
        return stages.text(RunLayout.TRAINING, RunLayout.manifest("orders", message.runId())).orElseThrow();
    }

    private String latestEtag() {
        return stages.blobs.properties(RunLayout.TRAINING, RunLayout.latest("orders")).orElseThrow().etag();
    }

    private List<ExtractMessage> downstreamStarts() {
        return stages.sent(ExtractMessage.class).stream().filter(m -> m.pipeline().equals("features")).toList();
    }

    @Test
    void aStoreDeliveredTwiceCommitsOneManifestMovesLatestOnceAndStartsTheConsumersRunOnce() {
        StoreMessage message = transformed();
        store(stages.blobs).handle(message, false);
        String manifest = manifest(message);
        String latest = latestEtag();

        store(stages.blobs).handle(message, false);

        assertEquals(manifest, manifest(message));
        assertEquals(latest, latestEtag(), "latest.json was not written again");
        LatestPointer pointer = Json.read(stages.blobs.read(RunLayout.TRAINING, RunLayout.latest("orders"))
                .orElseThrow().content(), LatestPointer.class);
        assertEquals(List.of(message.runId(), RunLayout.manifest("orders", message.runId())),
                List.of(pointer.runId(), pointer.manifest()));
        assertEquals(1, downstreamStarts().size(), "the second delivery found the consumer's run started");
        assertEquals(new Manifest.Rows(2, 2, 0), Json.read(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Manifest.class).rows());
        assertEquals(RunState.COMMITTED, stages.runs.outcome(message.runId()).orElseThrow().status());
        assertEquals(List.of(RunState.COMMITTED, 2L), stages.index.run("orders", message.runId())
                .map(r -> List.<Object>of(r.status(), r.rowsOut())).orElseThrow());
    }

    @Test
    void aStoreWhoseInvocationDiedAfterTheManifestHasTheRedeliveryFinishTheCommitOnce() {
        StoreMessage message = transformed();
        CrashingBlobStore dies = new CrashingBlobStore(stages.blobs, "createIfAbsent",
                RunLayout.TRAINING + "/" + RunLayout.manifest("orders", message.runId()));
        assertThrows(CrashingBlobStore.Crash.class, () -> store(dies).handle(message, false));
        String manifest = manifest(message);
        assertEquals(List.of(), stages.blobs.list(RunLayout.TRAINING, RunLayout.latest("orders")), "not moved yet");
        assertEquals(List.of(), downstreamStarts());

        store(stages.blobs).handle(message, false);
        store(stages.blobs).handle(message, false);

        assertEquals(manifest, manifest(message), "the manifest written before the crash is the commit");
        assertEquals(1, downstreamStarts().size());
        assertEquals(RunState.COMMITTED, stages.runs.outcome(message.runId()).orElseThrow().status());
        assertEquals(StageStatus.SUCCEEDED, Json.read(stages.blobs.read(RunLayout.RUNS,
                RunLayout.stageReport(message.runId(), Stage.STORE, -1)).orElseThrow().content(),
                io.tributary.run.StageReport.class).status(), "the redelivery said what the dead attempt did not");
    }

    @Test
    void aStoreDeliveredAgainAfterANewerRunCommittedLeavesLatestAtTheNewerRun() {
        StoreMessage older = transformed();
        store(stages.blobs).handle(older, false);
        String first = manifest(older);
        // A newer drop commits after it.
        var newer = stages.drop("orders/b.csv", "id,units\n3,1\n", InMemoryStages.NOW.plusSeconds(60));
        stages.deliver(newer);
        stages.deliver(stages.sent(TransformMessage.class).stream().filter(m -> m.runId().equals(newer.runId()))
                .findFirst().orElseThrow());
        StoreMessage newerStore = stages.sent(StoreMessage.class).stream()
                .filter(m -> m.runId().equals(newer.runId())).findFirst().orElseThrow();
        store(stages.blobs).handle(newerStore, false);
        String latest = latestEtag();

        store(stages.blobs).handle(older, false);

        assertEquals(latest, latestEtag(), "an older commit delivered late does not move latest.json back");
        assertEquals(newer.runId(), Json.read(stages.blobs.read(RunLayout.TRAINING, RunLayout.latest("orders"))
                .orElseThrow().content(), LatestPointer.class).runId());
        assertEquals(first, manifest(older));
        assertEquals(2, downstreamStarts().size(), "one consumer run per commit, none again for the late delivery");
        assertEquals(List.of(newer.runId(), older.runId()), stages.index.runs(
                new io.tributary.port.RunIndex.Filter("orders", io.tributary.run.RunState.COMMITTED, null, null, 10)).stream()
                .map(RunSummary::runId).toList());
    }
}
