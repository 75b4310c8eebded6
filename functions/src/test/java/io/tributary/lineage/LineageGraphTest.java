package io.tributary.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.BlobRef;
import io.tributary.run.FetchRecord;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lineage graph of runs held in memory, and its text and Mermaid renderings, exactly. */
class LineageGraphTest {

    private static final Instant T = Instant.parse("2026-11-22T07:32:44Z");
    private static final RunId ORDERS_RUN = RunId.parse("20261122T073242Z-a3f6fba34e");
    private static final RunId FEATURES_RUN = RunId.forDataset("customer-features", ORDERS_RUN, T);
    private static final BlobRef DROP = new BlobRef("landing", "orders/orders-2026-11-07.csv", "0x1");
    private static final BlobRef ORDERS_MANIFEST = new BlobRef("training", "orders/" + ORDERS_RUN + "/_manifest.json",
            "0x2");

    private final Map<RunId, RunRecord> records = new HashMap<>();
    private final Map<String, Manifest> manifests = new HashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();
    private final Map<RunId, List<io.tributary.run.JobRecord>> jobs = new HashMap<>();

    private final LineageSource source = new LineageSource() {
        @Override
        public Optional<RunRecord> record(RunId runId) {
            return Optional.ofNullable(records.get(runId));
        }

        @Override
        public Optional<Manifest> manifest(String pipeline, RunId runId) {
            return Optional.ofNullable(manifests.get(pipeline + "/" + runId));
        }

        @Override
        public Optional<RunId> latest(String pipeline) {
            return manifests.values().stream().filter(m -> m.pipeline().equals(pipeline)).map(Manifest::runId)
                    .max(RunId::compareTo);
        }

        @Override
        public List<String> consumers(String pipeline) {
            return consumers.getOrDefault(pipeline, List.of());
        }

        @Override
        public List<io.tributary.run.JobRecord> jobs(RunId runId) {
            return jobs.getOrDefault(runId, List.of());
        }
    };

    private static Manifest manifest(String pipeline, RunId runId, BlobRef source, long rows, FetchRecord fetched,
                                     List<Manifest.Parent> parents) {
        return new Manifest(Manifest.VERSION, pipeline, runId, "h-" + pipeline, source, T, new Manifest.Rows(rows + 3,
                rows, 3), Map.of(), List.of(), null, null, List.of(), null, List.of(), null, null, fetched)
                .withLineage("0.1.0", parents);
    }

    private void ordersThenFeatures() {
        records.put(ORDERS_RUN, new RunRecord(ORDERS_RUN, "orders", "fileDrop", DROP, "h-orders", T, Map.of()));
        manifests.put("orders/" + ORDERS_RUN, manifest("orders", ORDERS_RUN, DROP, 235, null, List.of()));
        consumers.put("orders", List.of("customer-features"));
        records.put(FEATURES_RUN, new RunRecord(FEATURES_RUN, "customer-features", "dataset", ORDERS_MANIFEST,
                "h-customer-features", T, Map.of(), null, new RunRecord.Upstream("orders", ORDERS_RUN)));
        manifests.put("customer-features/" + FEATURES_RUN, manifest("customer-features", FEATURES_RUN,
                ORDERS_MANIFEST, 58, null, List.of(new Manifest.Parent("orders", ORDERS_RUN, ORDERS_MANIFEST,
                        List.of(new BlobRef("training", "orders/" + ORDERS_RUN + "/train/part-00000.parquet", "0x3"))))));
    }

    @Test
    void aDatasetTriggeredRunLeadsBackThroughItsParentToTheDroppedFile() {
        ordersThenFeatures();
        LineageGraph graph = new LineageBuilder(source).build("customer-features", Optional.of(FEATURES_RUN));
        assertEquals(List.of("run:" + FEATURES_RUN, "dataset:orders/" + ORDERS_RUN, "run:" + ORDERS_RUN,
                "blob:landing/orders/orders-2026-11-07.csv@0x1", "dataset:customer-features/" + FEATURES_RUN),
                graph.nodes().stream().map(LineageGraph.Node::id).toList());
        assertEquals(List.of(
                new LineageGraph.Edge("blob:landing/orders/orders-2026-11-07.csv@0x1", "run:" + ORDERS_RUN, "read by"),
                new LineageGraph.Edge("run:" + ORDERS_RUN, "dataset:orders/" + ORDERS_RUN, "committed"),
                new LineageGraph.Edge("dataset:orders/" + ORDERS_RUN, "run:" + FEATURES_RUN, "read by"),
                new LineageGraph.Edge("run:" + FEATURES_RUN, "dataset:customer-features/" + FEATURES_RUN, "committed")),
                graph.edges());
        assertEquals(235L, graph.node("dataset:orders/" + ORDERS_RUN).detail().get("rows"));
        assertEquals("0.1.0", graph.node("dataset:orders/" + ORDERS_RUN).detail().get("appVersion"));
    }

    @Test
    void theUpstreamRunShowsThePipelinesThatConsumeItsDatasetAndTheRunItStarted() {
        ordersThenFeatures();
        LineageGraph graph = new LineageBuilder(source).build("orders", Optional.empty());
        assertEquals("run orders/" + ORDERS_RUN + "\n"
                + "  ← reads: blob landing/orders/orders-2026-11-07.csv (ETag 0x1)\n"
                + "  → committed: dataset training/orders/" + ORDERS_RUN + "/ (235 rows)\n"
                + "blob landing/orders/orders-2026-11-07.csv (ETag 0x1)\n"
                + "  → read by: run orders/" + ORDERS_RUN + "\n"
                + "dataset training/orders/" + ORDERS_RUN + "/ (235 rows)\n"
                + "  ← committed by: run orders/" + ORDERS_RUN + "\n"
                + "  → triggers: pipeline customer-features\n"
                + "pipeline customer-features\n"
                + "  ← triggered by: dataset training/orders/" + ORDERS_RUN + "/ (235 rows)\n"
                + "  → started: run customer-features/" + FEATURES_RUN + "\n"
                + "run customer-features/" + FEATURES_RUN + "\n"
                + "  ← started by: pipeline customer-features\n"
                + "  → committed: dataset training/customer-features/" + FEATURES_RUN + "/ (58 rows)\n"
                + "dataset training/customer-features/" + FEATURES_RUN + "/ (58 rows)\n"
                + "  ← committed by: run customer-features/" + FEATURES_RUN + "\n", LineageText.text(graph));
        assertEquals("flowchart LR\n"
                + "  n0(\"run orders/" + ORDERS_RUN + "\")\n"
                + "  n1[/\"blob landing/orders/orders-2026-11-07.csv (ETag 0x1)\"/]\n"
                + "  n2[(\"dataset training/orders/" + ORDERS_RUN + "/ (235 rows)\")]\n"
                + "  n3[[\"pipeline customer-features\"]]\n"
                + "  n4(\"run customer-features/" + FEATURES_RUN + "\")\n"
                + "  n5[(\"dataset training/customer-features/" + FEATURES_RUN + "/ (58 rows)\")]\n"
                + "  n1 -->|\"read by\"| n0\n"
                + "  n0 -->|\"committed\"| n2\n"
                + "  n2 -->|\"triggers\"| n3\n"
                + "  n3 -->|\"started\"| n4\n"
                + "  n4 -->|\"committed\"| n5\n", LineageText.mermaid(graph));
    }

    @Test
    void aQueryNamesItsWatermarkRangeAndMermaidLabelsAreEscaped() {
        RunId run = RunId.parse("20261122T160220Z-bfd708d645");
        records.put(run, new RunRecord(run, "order-ledger", "schedule", null, "h", T, Map.of()));
        FetchRecord fetched = new FetchRecord("sql", new BlobRef("tributary-runs", run + "/source/a.jsonl", "0x9"), 30,
                900, List.of("SELECT * FROM orders WHERE status = \"paid\" AND updated_at > ? <#1>"),
                new FetchRecord.WatermarkRange("updated_at", "2026-11-02T09:19:30Z", "2026-11-02T09:59:30Z", false));
        manifests.put("order-ledger/" + run, manifest("order-ledger", run, fetched.spool(), 30, fetched, List.of()));
        LineageGraph graph = new LineageBuilder(source).build("order-ledger", Optional.of(run));
        LineageGraph.Node query = graph.nodes().get(1);
        assertEquals("query", query.kind());
        assertEquals("2026-11-02T09:19:30Z", query.detail().get("after"));
        assertEquals("2026-11-02T09:59:30Z", query.detail().get("upTo"));
        assertEquals("flowchart LR\n"
                + "  n0(\"run order-ledger/" + run + "\")\n"
                + "  n1[/\"query SELECT * FROM orders WHERE status = #quot;paid#quot; AND updated_at #gt; ? #lt;#35;1#gt; "
                + "(updated_at after 2026-11-02T09:19:30Z up to 2026-11-02T09:59:30Z)\"/]\n"
                + "  n2[(\"dataset training/order-ledger/" + run + "/ (30 rows)\")]\n"
                + "  n1 -->|\"fetched by\"| n0\n"
                + "  n0 -->|\"committed\"| n2\n", LineageText.mermaid(graph));
    }

    @Test
    void aTableRunCommitsAVersionOfItsPipelinesTableAndSaysWhatChanged() {
        RunId run = RunId.parse("20261122T160220Z-0c1d2e3f4a");
        BlobRef drop = new BlobRef("landing", "crm/contacts-2.csv", "0x7");
        records.put(run, new RunRecord(run, "crm-contacts", "fileDrop", drop, "h", T, Map.of()));
        manifests.put("crm-contacts/" + run, manifest("crm-contacts", run, drop, 6, null, List.of()).withTable(
                new Manifest.TableVersion("training/crm-contacts/table/", 1, "merge", 2, 1, 241, 240), List.of(),
                List.of("train/MLTable")));
        LineageGraph graph = new LineageBuilder(source).build("crm-contacts", Optional.of(run));
        assertEquals("run crm-contacts/" + run + "\n"
                + "  ← reads: blob landing/crm/contacts-2.csv (ETag 0x7)\n"
                + "  → committed: table training/crm-contacts/table/ version 1 (merge of 6 rows by run " + run + ")\n"
                + "blob landing/crm/contacts-2.csv (ETag 0x7)\n"
                + "  → read by: run crm-contacts/" + run + "\n"
                + "table training/crm-contacts/table/ version 1 (merge of 6 rows by run " + run + ")\n"
                + "  ← committed by: run crm-contacts/" + run + "\n", LineageText.text(graph));
        Map<String, Object> detail = graph.node("dataset:crm-contacts/" + run).detail();
        assertEquals("training/crm-contacts/table/", detail.get("path"));
        assertEquals(1L, detail.get("tableVersion"));
        assertEquals(List.of(2, 1, 241L, 240L), List.of(detail.get("filesAdded"), detail.get("filesRemoved"),
                detail.get("rowsAdded"), detail.get("rowsRemoved")));
    }

    @Test
    void theJobsARunRanAreItsToTheTransformAndItsDatasetsAfterTheCommit() {
        records.put(ORDERS_RUN, new RunRecord(ORDERS_RUN, "orders", "fileDrop", DROP, "h-orders", T, Map.of()));
        manifests.put("orders/" + ORDERS_RUN, manifest("orders", ORDERS_RUN, DROP, 235, null, List.of()));
        io.tributary.job.JobHandle notebook = new io.tributary.job.JobHandle("databricks", "https://adb-1.2.azuredatabricks.net",
                "1001", "t-key-transform-1", "https://adb-1.2.azuredatabricks.net/#job/9/run/1001", T);
        io.tributary.job.JobHandle training = new io.tributary.job.JobHandle("azureml", "/subscriptions/s/ws", "t-key-train-1",
                "t-key-train-1", "", T);
        jobs.put(ORDERS_RUN, List.of(
                io.tributary.run.JobRecord.submitted("transform", 0, 1, "notebook /Shared/clean", notebook,
                        java.time.Duration.ofHours(2)).checked(3, T, new io.tributary.job.JobState(
                        io.tributary.job.JobPhase.SUCCEEDED, "TERMINATED/SUCCESS", "", notebook.link())),
                io.tributary.run.JobRecord.submitted("train", 1, 2, "component azureml:train:3", training,
                        java.time.Duration.ofHours(6))));
        LineageGraph graph = new LineageBuilder(source).build("orders", Optional.of(ORDERS_RUN));
        assertEquals(List.of(
                new LineageGraph.Edge("blob:landing/orders/orders-2026-11-07.csv@0x1", "run:" + ORDERS_RUN, "read by"),
                new LineageGraph.Edge("run:" + ORDERS_RUN, "dataset:orders/" + ORDERS_RUN, "committed"),
                new LineageGraph.Edge("run:" + ORDERS_RUN, "job:" + ORDERS_RUN + "/transform-1", "ran"),
                new LineageGraph.Edge("dataset:orders/" + ORDERS_RUN, "job:" + ORDERS_RUN + "/train-2", "used by")),
                graph.edges());
        LineageGraph.Node ran = graph.node("job:" + ORDERS_RUN + "/transform-1");
        assertEquals("job transform on databricks (notebook /Shared/clean, 1001: succeeded)", ran.label());
        assertEquals(notebook.link(), ran.detail().get("link"));
        assertEquals("job train attempt 2 on azureml (component azureml:train:3, t-key-train-1: queued)",
                graph.node("job:" + ORDERS_RUN + "/train-2").label());
        assertTrue(LineageText.mermaid(graph).contains("{{\"job transform on databricks"), LineageText.mermaid(graph));
    }

    @Test
    void aRunOfAnotherPipelineOrNoneIsRefusedSayingWhy() {
        ordersThenFeatures();
        LineageBuilder builder = new LineageBuilder(source);
        assertEquals("run " + ORDERS_RUN + " is a run of orders, not of customer-features; ask for orders/" + ORDERS_RUN,
                assertThrows(IllegalArgumentException.class,
                        () -> builder.build("customer-features", Optional.of(ORDERS_RUN))).getMessage());
        assertEquals("pipeline 'telemetry' has no committed run yet; name a run: telemetry/RUN_ID",
                assertThrows(IllegalArgumentException.class, () -> builder.build("telemetry", Optional.empty()))
                        .getMessage());
    }
}
