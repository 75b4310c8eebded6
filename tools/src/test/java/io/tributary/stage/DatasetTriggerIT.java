package io.tributary.stage;

import io.tributary.settings.Settings;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.history.RunHistory;
import io.tributary.history.StoredLineage;
import io.tributary.lineage.LineageBuilder;
import io.tributary.lineage.LineageGraph;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.AppVersion;
import io.tributary.run.BlobRef;
import io.tributary.run.CombineMessage;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.DatasetTriggers;
import io.tributary.start.ManualRuns;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages.RecordingQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code orders} and {@code customer-features} pipelines on Azurite: the orders commit starts one
 * customer-features run however often its store is delivered, that run reads the committed parts and names its
 * parent, and the lineage spans both pipelines, back to the dropped file.
 */
class DatasetTriggerIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Path ROOT = AzuriteExtension.projectRoot();

    @Test
    void anUpstreamCommitStartsTheConsumerOnceAndLineageSpansBoth(@TempDir Path dir) throws Exception {
        BlobStore blobs = new AzureBlobStore(AZURITE.clients().blobs());
        AZURITE.clients().createContainer(RunLayout.LANDING);
        PipelineCatalog catalog = PipelineCatalog.load(ROOT.resolve("pipeline-defs"), DefinitionCheck.NONE, DefinitionAccess.from(Settings::get));
        PipelineDefinition orders = catalog.get("orders");
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        Clock clock = Clock.systemUTC();
        RunStarter starter = new RunStarter(runs, queue, clock);
        Path work = dir.resolve("work");
        ExtractStage extract = new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(runs, name -> Optional.empty(), work), work, clock);
        TransformStage transform = new TransformStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT), work,
                clock);
        CombineStage combine = new CombineStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT), work, clock);
        StoreStage store = new StoreStage(runs, clock, name -> List.of(), new DatasetTriggers(() -> catalog, starter,
                blobs));

        String name = "orders/orders-2026-11-07.csv";
        blobs.upload(RunLayout.LANDING, name, ROOT.resolve("pipeline-defs/samples/" + name));
        BlobInfo info = blobs.properties(RunLayout.LANDING, name).orElseThrow();
        BlobRef drop = new BlobRef(RunLayout.LANDING, name, info.etag());
        RunId ordersRun = starter.start(orders, RunId.forDrop("orders", drop, info.lastModified()), drop, "fileDrop",
                Map.of()).runId();

        // Every store message is delivered twice: once to commit, once more after the commit.
        for (int i = 0; i < queue.sent().size(); i++) {
            StageMessage message = queue.sent().get(i);
            if (message instanceof ExtractMessage m) {
                extract.handle(m, true);
            } else if (message instanceof TransformMessage m) {
                transform.handle(m, true);
            } else if (message instanceof CombineMessage m) {
                combine.handle(m, true);
            } else if (message instanceof StoreMessage m) {
                store.handle(m, true);
                store.handle(m, true);
            }
        }

        Manifest upstream = new RunHistory(runs).manifest("orders", ordersRun).orElseThrow();
        RunId featuresRun = RunId.forDataset("customer-features", ordersRun, upstream.committedAt());
        List<RunId> started = queue.sent().stream().filter(m -> m instanceof ExtractMessage)
                .map(StageMessage::runId).toList();
        assertEquals(List.of(ordersRun, featuresRun), started, "one extract per run, the consumer's once");
        assertEquals(RunState.COMMITTED, runs.outcome(featuresRun).orElseThrow().status());
        RunRecord record = runs.record(featuresRun).orElseThrow();
        assertEquals("dataset", record.trigger());
        assertEquals(new RunRecord.Upstream("orders", ordersRun), record.upstream());
        assertEquals(RunLayout.TRAINING + "/" + RunLayout.manifest("orders", ordersRun), record.source().container()
                + "/" + record.source().name());

        Manifest features = new RunHistory(runs).manifest("customer-features", featuresRun).orElseThrow();
        assertEquals(1, features.parents().size());
        Manifest.Parent parent = features.parents().get(0);
        assertEquals("orders", parent.pipeline());
        assertEquals(ordersRun, parent.runId());
        assertEquals(upstream.files().stream().map(f -> RunLayout.datasetFolder("orders", ordersRun) + f.path()).toList(),
                parent.files().stream().map(BlobRef::name).toList(), "one chunk per upstream part, each read once");
        assertTrue(parent.files().stream().allMatch(f -> f.etag() != null));
        assertEquals(AppVersion.current(), features.appVersion());
        assertFalse(AppVersion.current().equals("dev"), "the build writes the version beside the classes");
        // Every order read once, each customer one row: the key buckets bring a customer's rows together across parts.
        assertEquals(upstream.rows().out(), features.rows().in());
        assertEquals(0, features.rows().rejected());
        assertTrue(features.rows().out() > 1 && features.rows().out() < upstream.rows().out(), features.rows().toString());
        assertEquals(0L, features.expectations().stream().filter(e -> e.expect().equals("unique"))
                .findFirst().orElseThrow().failed());

        String rejects = new String(blobs.read(RunLayout.TRAINING, RunLayout.datasetFolder("orders", ordersRun)
                + upstream.rejects().get(0)).orElseThrow().content(), StandardCharsets.UTF_8);
        assertEquals(3, rejects.lines().count());
        assertTrue(rejects.lines().allMatch(l -> l.startsWith("{\"source\":\"landing/" + name + "\",\"line\":")),
                rejects);

        LineageGraph graph = new LineageBuilder(new StoredLineage(runs, () -> catalog))
                .build("customer-features", Optional.empty());
        String blob = "blob:landing/" + name + "@" + drop.etag();
        assertEquals(List.of(
                new LineageGraph.Edge(blob, "run:" + ordersRun, "read by"),
                new LineageGraph.Edge("run:" + ordersRun, "dataset:orders/" + ordersRun, "committed"),
                new LineageGraph.Edge("dataset:orders/" + ordersRun, "run:" + featuresRun, "read by"),
                new LineageGraph.Edge("run:" + featuresRun, "dataset:customer-features/" + featuresRun, "committed")),
                graph.edges());
        // By hand, the consumer reads the upstream's latest dataset, and names it as its parent all the same.
        RunId byHand = new ManualRuns(starter, runs, clock).start(catalog.get("customer-features"),
                new ManualRuns.Request("by-hand", Map.of(), false, Optional.empty())).runs().get(0).runId();
        RunRecord manual = runs.record(byHand).orElseThrow();
        assertEquals("manual", manual.trigger());
        assertEquals(new RunRecord.Upstream("orders", ordersRun), manual.upstream());
        assertEquals(record.source(), manual.source());

        LineageGraph fromOrders = new LineageBuilder(new StoredLineage(runs, () -> catalog))
                .build("orders", Optional.of(ordersRun));
        assertTrue(fromOrders.edges().contains(new LineageGraph.Edge("pipeline:customer-features", "run:"
                + featuresRun, "started")), fromOrders.edges().toString());
    }
}
