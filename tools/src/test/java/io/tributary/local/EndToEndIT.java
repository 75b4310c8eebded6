package io.tributary.local;

import io.tributary.definition.output.SplitName;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.PipelineCatalog;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.history.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import io.tributary.testing.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain: a real Azurite, the local host driving the real function classes, a file dropped
 * with the Storage SDK, and the committed Parquet read back by Apache parquet-java.
 */
class EndToEndIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final HostJson FAST = new HostJson(4, 2, 2, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(90);
    static final Path SAMPLE = AzuriteExtension.projectRoot().resolve("functions/src/test/resources/data/orders-small.csv");

    static StorageClients storage;
    static RunHistory history;
    static LocalHost host;
    static ByteArrayOutputStream hostLog;
    static Path defs;

    @BeforeAll
    static void startHost() throws Exception {
        defs = AZURITE.dataDir().resolve("pipeline-defs");
        Files.createDirectories(defs);
        Path orders = AzuriteExtension.projectRoot().resolve("pipeline-defs/orders.json");
        Files.copy(orders, defs.resolve("orders.json"));
        // The same pipeline under another name and path, so that one test owns its latest.json.
        Files.writeString(defs.resolve("orders-e2e.json"), Files.readString(orders)
                .replace("\"name\": \"orders\"", "\"name\": \"orders-e2e\"").replace("orders/*.csv", "e2e/*.csv"));
        Files.writeString(defs.resolve("broken.json"), """
                {"schemaVersion": 1, "name": "broken", "trigger": {"type": "fileDrop", "path": "broken/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "code", "type": "string"}],
                 "steps": [{"op": "filter", "where": "CAST(code AS INTEGER) > 0"}]}""");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 * * * * *"));
        storage = AZURITE.clients();
        history = new RunHistory(new RunStore(new AzureBlobStore(storage.blobs())));
        hostLog = new ByteArrayOutputStream();
        host = startedHost();
    }

    private static LocalHost startedHost() {
        LocalHost started = new LocalHost(storage, FAST, new HostLog(new PrintStream(hostLog, true,
                StandardCharsets.UTF_8), true), "it-host");
        started.start();
        return started;
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
    }

    private static String log() {
        return hostLog.toString(StandardCharsets.UTF_8);
    }

    /** Drops a file with the Storage SDK; returns the run id its drop must get. */
    private static RunId drop(Path file, String name, String pipeline) {
        BlobClient blob = storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient(name);
        blob.uploadFromFile(file.toString(), true);
        var properties = blob.getProperties();
        return RunId.forDrop(pipeline, new BlobRef(RunLayout.LANDING, name, properties.getETag()),
                properties.getLastModified().toInstant());
    }

    private static RunOutcome awaitOutcome(RunId runId) {
        return Eventually.await("run " + runId + " to end", COMMIT_TIMEOUT,
                () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome));
    }

    private static BlobClient training(String name) {
        return storage.blobs().getBlobContainerClient(RunLayout.TRAINING).getBlobClient(name);
    }

    @Test
    void aDroppedCsvBecomesAParquetDatasetWithManifestAndRejects(@TempDir Path out) throws Exception {
        RunId runId = drop(SAMPLE, "e2e/orders.csv", "orders-e2e");

        RunOutcome outcome = awaitOutcome(runId);

        assertEquals(RunState.COMMITTED, outcome.status());
        Manifest manifest = Json.read(training(RunLayout.manifest("orders-e2e", runId)).downloadContent().toBytes(),
                Manifest.class);
        assertEquals(new Manifest.Rows(12, 7, 3), manifest.rows());
        assertEquals(List.of("train", "validation", "test"), manifest.splits().keySet().stream().map(SplitName::text).toList());
        assertEquals(7, manifest.splits().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(runId, manifest.runId());
        assertEquals("e2e/orders.csv", manifest.source().name());
        assertEquals(storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("e2e/orders.csv")
                .getProperties().getETag(), manifest.source().etag());
        assertEquals(PipelineCatalog.load(defs, io.tributary.definition.DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)).get("orders-e2e").hash(),
                manifest.definitionHash());
        assertEquals(List.of("order_id", "customer_id", "order_date", "amount", "channel", "items", "returned"),
                manifest.schema().stream().map(c -> c.name()).toList());

        // Every split's part, read back with parquet-java; an entity (customer) lives in one split only.
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        Map<Object, String> splitOfCustomer = new java.util.HashMap<>();
        for (Manifest.DataFile file : manifest.files()) {
            assertEquals(file.split() + "/part-00000.parquet", file.path());
            Path parquet = out.resolve(file.split() + ".parquet");
            training(RunLayout.datasetFolder("orders-e2e", runId) + file.path()).downloadToFile(parquet.toString());
            List<Map<String, Object>> part = ParquetRows.read(parquet);
            assertEquals(file.rows(), part.size());
            assertEquals(manifest.splits().get(file.split()), file.rows());
            for (Map<String, Object> row : part) {
                String before = splitOfCustomer.put(row.get("customer_id"), file.split().text());
                assertTrue(before == null || before.equals(file.split().text()), row + " also in " + before);
            }
            rows.addAll(part);
        }
        rows.sort(java.util.Comparator.comparing(r -> (Long) r.get("order_id")));
        assertEquals(List.of(1001L, 1002L, 1005L, 1007L, 1009L, 1010L, 1012L),
                rows.stream().map(r -> r.get("order_id")).toList());
        Map<String, Object> first = rows.get(0);
        assertEquals("C-0042", first.get("customer_id"));
        assertEquals(LocalDate.of(2026, 11, 1), first.get("order_date"));
        assertEquals(new BigDecimal("129.90"), first.get("amount"));
        assertEquals("web", first.get("channel"));
        assertEquals(3, first.get("items"));
        assertEquals(false, first.get("returned"));
        assertEquals("store, outlet", rows.get(5).get("channel"));

        List<JsonNode> rejects = training(RunLayout.rejectsPart("orders-e2e", runId, 0)).downloadContent().toString()
                .lines().map(l -> Json.read(l.getBytes(StandardCharsets.UTF_8), JsonNode.class)).toList();
        assertEquals(List.of(7, 9, 12), rejects.stream().map(r -> r.get("line").asInt()).toList());
        assertEquals(List.of("amount", "order_date", "amount"), rejects.stream().map(r -> r.get("column").asText()).toList());
        assertTrue(rejects.get(0).get("reason").asText().contains("\"twelve\""), rejects.get(0).toString());
        assertEquals("column \"amount\" is empty but declared \"nullable\": false", rejects.get(2).get("reason").asText());

        LatestPointer latest = Json.read(training(RunLayout.latest("orders-e2e")).downloadContent().toBytes(),
                LatestPointer.class);
        assertEquals(new LatestPointer("orders-e2e", runId, RunLayout.manifest("orders-e2e", runId),
                manifest.committedAt()), latest);
    }

    @Test
    void aBlobVersionFiresOnceAndASecondFiringStartsNoSecondRun() throws Exception {
        RunId runId = drop(SAMPLE, "orders/twice.csv", "orders");
        assertEquals(RunState.COMMITTED, awaitOutcome(runId).status());
        long runsBefore = history.runs().size();

        // A restarted host finds the receipt and does not fire again.
        host.stop(Duration.ofSeconds(10));
        int logBefore = log().length();
        host = startedHost();
        Thread.sleep(1500);
        assertFalse(log().substring(logBefore).contains("New blob detected(landing): orders/twice.csv"),
                log().substring(logBefore));

        // Without receipts a new host fires again, as Azure's trigger may: the run exists, nothing new starts.
        host.stop(Duration.ofSeconds(10));
        BlobContainerClient receipts = storage.blobs().getBlobContainerClient(BlobListener.RECEIPTS);
        for (BlobItem receipt : receipts.listBlobs()) {
            if (receipt.getName().endsWith("/landing/orders/twice.csv")) {
                receipts.getBlobClient(receipt.getName()).delete();
            }
        }
        host = startedHost();
        Eventually.await("the second firing", Duration.ofSeconds(10), () -> Optional.of(log())
                .filter(l -> l.contains("already started: run orders/" + runId)));
        assertEquals(runsBefore, history.runs().size());
        assertEquals(1, history.runs().stream().filter(r -> r.source().name().equals("orders/twice.csv")).count());
    }

    @Test
    void aFileNoPipelineListensToStaysWhereItWas() throws Exception {
        drop(SAMPLE, "elsewhere/orders.csv", "orders");
        Eventually.await("the warning", Duration.ofSeconds(10), () -> Optional.of(log())
                .filter(l -> l.contains("landing/elsewhere/orders.csv: no pipeline listens to this path")));
        assertTrue(storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("elsewhere/orders.csv").exists());
        assertEquals(0, history.runs().stream().filter(r -> r.source().name().equals("elsewhere/orders.csv")).count());
    }

    @Test
    void aRunWhoseStepFailsIsMarkedFailedAndCommitsNothing(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("codes.csv");
        Files.writeString(csv, "id,code\n1,A7\n2,12\n");
        RunId runId = drop(csv, "broken/codes.csv", "broken");

        RunOutcome outcome = awaitOutcome(runId);

        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.TRANSFORM, outcome.stage());
        assertEquals(0, outcome.chunk());
        assertTrue(outcome.error().startsWith("a step failed on this data: Conversion Error"), outcome.error());
        assertFalse(training(RunLayout.manifest("broken", runId)).exists());
        assertFalse(training(RunLayout.latest("broken")).exists());
    }

    @Test
    void aChunkThatKeepsFailingFailsItsRunOnTheLastAttemptAndIsPoisoned() throws Exception {
        RunStore runs = new RunStore(new AzureBlobStore(storage.blobs()));
        BlobClient blob = storage.blobs().getBlobContainerClient(RunLayout.RUNS).getBlobClient("inputs/poisoned.csv");
        blob.uploadFromFile(SAMPLE.toString(), true);
        BlobRef source = new BlobRef(RunLayout.RUNS, "inputs/poisoned.csv", blob.getProperties().getETag());
        RunId runId = RunId.forRequest("orders", "poisoned", java.time.Instant.now());
        // A definition snapshot that does not read: every transform attempt of this run fails. The run is
        // recorded without its extract message; its one chunk goes straight to the transform queue.
        runs.blobs().put(RunLayout.RUNS, RunLayout.definition(runId), "{".getBytes(StandardCharsets.UTF_8));
        new io.tributary.start.RunStarter(runs, (queue, message) -> { }, java.time.Clock.systemUTC())
                .start(PipelineCatalog.load(defs, io.tributary.definition.DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)).get("orders"), runId,
                        source, "manual", java.util.Map.of());
        new io.tributary.storage.AzureStageQueue(storage).send(RunLayout.TRANSFORM_QUEUE, new TransformMessage(runId,
                "orders", source, 0, 1, 0, blob.getProperties().getBlobSize(), List.of()));

        RunOutcome outcome = awaitOutcome(runId);

        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.TRANSFORM, outcome.stage());
        assertEquals(0, outcome.chunk());
        assertTrue(outcome.error().startsWith("the definition snapshot of run " + runId),
                outcome.error());
        Eventually.await("the poisoned transform message", Duration.ofSeconds(10), () ->
                storage.queue(RunLayout.TRANSFORM_QUEUE + "-poison").peekMessages(32, null, null).stream()
                        .filter(m -> m.getBody().toString().contains(runId.text())).findFirst());
        assertFalse(training(RunLayout.manifest("orders", runId)).exists());
    }

    @Test
    void aMessageThatIsNotBase64GoesToPoisonWithoutBlockingTheQueue() {
        var plain = new com.azure.storage.queue.QueueClientBuilder().connectionString(AZURITE.connectionString())
                .queueName(RunLayout.EXTRACT_QUEUE).buildClient();
        plain.sendMessage("plain text, not base64!");

        String poisoned = Eventually.await("the undecodable message in poison", Duration.ofSeconds(20), () ->
                storage.queue(RunLayout.EXTRACT_QUEUE + "-poison").peekMessages(32, null, null).stream()
                        .map(m -> m.getBody().toString())
                        .filter(b -> b.equals("plain text, not base64!")).findFirst());

        assertEquals("plain text, not base64!", poisoned);
        Eventually.await("the queue to drain", Duration.ofSeconds(10), () -> Optional.of(
                storage.queue(RunLayout.EXTRACT_QUEUE).getProperties().getApproximateMessagesCount())
                .filter(n -> n == 0));
    }

    @Test
    void aMessageThatKeepsFailingEndsInThePoisonQueue() {
        storage.queue(RunLayout.STORE_QUEUE).sendMessage("this is not a stage message");

        String poisoned = Eventually.await("the poison message", Duration.ofSeconds(30), () ->
                storage.queue(RunLayout.STORE_QUEUE + "-poison").peekMessages(32, null, null).stream()
                        .map(m -> m.getBody().toString())
                        .filter(b -> b.equals("this is not a stage message")).findFirst());

        assertEquals("this is not a stage message", poisoned);
        Eventually.await("the poison log line", Duration.ofSeconds(10), () -> Optional.of(log()).filter(l -> l.contains(
                "has reached MaxDequeueCount of 2. Moving message to queue 'pipeline-store-poison'")));
        assertEquals(0, storage.queue(RunLayout.STORE_QUEUE).getProperties().getApproximateMessagesCount());
    }
}
