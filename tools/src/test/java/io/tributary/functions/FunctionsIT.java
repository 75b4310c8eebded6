package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.microsoft.azure.functions.ExecutionContext;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.TransformMessage;
import io.tributary.settings.Settings;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.CapturingLogger;
import io.tributary.testing.WebhookReceiver;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The function classes as the Functions host loads them, called with a mocked {@link ExecutionContext},
 * against a real Azurite. No host runs here, so the messages they hand on stay in the queues to inspect.
 */
class FunctionsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static FunctionApp app;
    static StorageClients storage;
    static WebhookReceiver webhook;

    @BeforeAll
    static void pointTheAppAtAzurite() {
        webhook = new WebhookReceiver();
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS",
                AzuriteExtension.projectRoot().resolve("pipeline-defs").toString(),
                "TRIBUTARY_ALERT_WEBHOOK_URL", webhook.url()));
        app = FunctionApp.start(Settings::get);
        storage = AZURITE.clients();
    }

    @AfterAll
    static void stopTheWebhook() {
        webhook.close();
    }

    private static ExecutionContext context(CapturingLogger log) {
        ExecutionContext context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(log.logger());
        when(context.getInvocationId()).thenReturn("test-invocation");
        when(context.getFunctionName()).thenReturn("test");
        return context;
    }

    private static BlobClient upload(String name, String content) {
        BlobClient blob = storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient(name);
        blob.upload(BinaryData.fromString(content), true);
        return blob;
    }

    private static List<QueueMessageItem> drain(String queue) {
        List<QueueMessageItem> messages = storage.queue(queue).receiveMessages(32).stream().toList();
        messages.forEach(m -> storage.queue(queue).deleteMessage(m.getMessageId(), m.getPopReceipt()));
        return messages;
    }

    @Test
    void aDropStartsOneRunEvenWhenTheTriggerFiresTwice() {
        BlobClient blob = upload("orders/functions-it.csv", "order_id,customer_id,order_date,amount,currency,channel,"
                + "items,returned\n1,C-1,2026-11-01,10.00,EUR,web,1,false\n");
        var properties = blob.getProperties();
        RunId runId = RunId.forDrop("orders", new BlobRef(RunLayout.LANDING, "orders/functions-it.csv",
                properties.getETag()), properties.getLastModified().toInstant());
        drain(RunLayout.EXTRACT_QUEUE);

        CapturingLogger first = new CapturingLogger();
        app.function(FileDropFunction.class).run(blob, "orders/functions-it.csv", context(first));
        CapturingLogger second = new CapturingLogger();
        app.function(FileDropFunction.class).run(blob, "orders/functions-it.csv", context(second));

        List<QueueMessageItem> messages = drain(RunLayout.EXTRACT_QUEUE);
        assertEquals(1, messages.size());
        ExtractMessage message = Json.message(messages.get(0).getBody().toString(), ExtractMessage.class);
        assertEquals(new ExtractMessage(runId, "orders", new BlobRef(RunLayout.LANDING, "orders/functions-it.csv",
                properties.getETag())), message);
        String tag = "[run=" + runId + " pipeline=orders stage=fileDrop chunk=-] ";
        assertEquals(List.of(tag + "landing/orders/functions-it.csv: started run orders/" + runId),
                first.messages(Level.INFO));
        assertEquals(List.of(tag + "landing/orders/functions-it.csv: already started: run orders/" + runId),
                second.messages(Level.INFO));
    }

    @Test
    void aDropNoPipelineListensToIsLoggedAndLeftInPlace() {
        BlobClient blob = upload("unknown/report.csv", "a,b\n1,2\n");
        drain(RunLayout.EXTRACT_QUEUE);
        CapturingLogger log = new CapturingLogger();

        app.function(FileDropFunction.class).run(blob, "unknown/report.csv", context(log));

        assertEquals(List.of(), drain(RunLayout.EXTRACT_QUEUE));
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("landing/unknown/report.csv: no pipeline listens to this path, so it was "
                + "left in place. Pipelines listening: "), warnings.get(0));
        assertTrue(warnings.get(0).contains("orders ← landing/orders/*.csv"), warnings.get(0));
        assertTrue(blob.exists());
    }

    @Test
    void extractPlansTheRunAndHandsEachChunkToTransform() {
        String csv = "order_id,customer_id,order_date,amount,currency,channel,items,returned\n"
                + "1,C-1,2026-11-01,10.00,EUR,web,1,false\n";
        BlobClient blob = upload("orders/extract-it.csv", csv);
        var properties = blob.getProperties();
        BlobRef source = new BlobRef(RunLayout.LANDING, "orders/extract-it.csv", properties.getETag());
        RunId runId = RunId.forDrop("orders", source, properties.getLastModified().toInstant());
        drain(RunLayout.EXTRACT_QUEUE);
        drain(RunLayout.TRANSFORM_QUEUE);
        app.function(FileDropFunction.class).run(blob, "orders/extract-it.csv", context(new CapturingLogger()));
        String extract = drain(RunLayout.EXTRACT_QUEUE).get(0).getBody().toString();

        CapturingLogger log = new CapturingLogger();
        app.function(ExtractFunction.class).run(extract, 1, context(log));

        List<QueueMessageItem> transforms = drain(RunLayout.TRANSFORM_QUEUE);
        assertEquals(1, transforms.size());
        assertEquals(new TransformMessage(runId, "orders", source, 0, 1, 0, csv.length(), List.of()),
                Json.message(transforms.get(0).getBody().toString(), TransformMessage.class));
        assertEquals(List.of("[run=" + runId + " pipeline=orders stage=extract chunk=-] extract done: orders/" + runId),
                log.messages(Level.INFO));
    }

    @Test
    void aMalformedMessageFailsTheInvocationSoTheHostRetriesIt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> app.function(StoreFunction.class).run("{\"version\": 1}", 1,
                        context(new CapturingLogger())));
        assertTrue(e.getMessage().startsWith("not a valid StoreMessage"), e.getMessage());
    }

    @Test
    void aLastAttemptThatFailsBeforeItsStageCanSaySoStillFailsTheRun() {
        var runs = new io.tributary.stage.RunStore(new io.tributary.storage.AzureBlobStore(storage.blobs()));
        BlobClient blob = upload("orders/unreadable-snapshot.csv", "order_id\n1\n");
        BlobRef source = new BlobRef(RunLayout.LANDING, "orders/unreadable-snapshot.csv", blob.getProperties().getETag());
        RunId runId = RunId.forRequest("orders", "unreadable-snapshot", java.time.Instant.now());
        // The concurrency gate reads the snapshot before extract's own error handling: it does not read.
        runs.blobs().put(RunLayout.RUNS, RunLayout.definition(runId), "{".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        new io.tributary.start.RunStarter(runs, (queue, m) -> { }, java.time.Clock.systemUTC())
                .start(app.catalog().get("orders"), runId, source, "manual", Map.of());
        String message = Json.compact(new ExtractMessage(runId, "orders", source));

        CapturingLogger firstLog = new CapturingLogger();
        CapturingLogger lastLog = new CapturingLogger();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> app.function(ExtractFunction.class).run(message, 1, context(firstLog)));
        assertEquals(java.util.Optional.empty(), runs.outcome(runId), "not the last attempt: the host retries");
        IllegalStateException last = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> app.function(ExtractFunction.class).run(message, 1000, context(lastLog)));

        io.tributary.run.RunOutcome outcome = runs.outcome(runId).orElseThrow();
        assertEquals(List.of("failed", "extract", -1), List.of(outcome.status().text(), outcome.stage().text(), outcome.chunk()));
        assertEquals(last.getMessage().lines().findFirst().orElseThrow(), outcome.error(), "without Java's exception name");
        assertTrue(outcome.error().startsWith("the definition snapshot of run " + runId),
                outcome.error());
        String tag = "[run=" + runId + " pipeline=orders stage=extract chunk=-] ";
        int attempts = app.settings().maxDequeueCount();
        assertEquals(List.of(tag + "extract attempt 1 of " + attempts + " failed; the host retries "
                + "it: " + last), firstLog.messages(Level.WARNING));
        assertEquals(List.of(tag + "extract attempt 1000 of " + attempts + " failed, the last: "
                + "the run fails and the message goes to pipeline-extract-poison: " + last), lastLog.messages(Level.WARNING));
        // The run failed and its message was poisoned: one alert of each, to the webhook in the app settings.
        List<String> kinds = webhook.received().stream().filter(r -> r.body().get("tributary").get("runId").asText()
                .equals(runId.text())).map(r -> r.body().get("tributary").get("kind").asText()).toList();
        assertEquals(List.of("runFailed", "poisonMessage"), kinds);
        String poisoned = webhook.received().stream().map(WebhookReceiver.Received::body)
                .filter(b -> b.get("tributary").get("kind").asText().equals("poisonMessage")
                        && b.get("tributary").get("runId").asText().equals(runId.text()))
                .findFirst().orElseThrow().get("text").asText();
        assertEquals("The extract message of run " + runId + " of pipeline orders failed its last attempt and was moved "
                + "to pipeline-extract-poison: " + outcome.error(), poisoned);
    }

    @Test
    void everyLineOfARunsInvocationsCarriesItsRunPipelineStageAndChunk() {
        String csv = "order_id,customer_id,order_date,amount,currency,channel,items,returned\n"
                + "1,C-1,2026-11-01,10.00,EUR,web,1,false\n";
        BlobClient blob = upload("orders/tagged-lines.csv", csv);
        var properties = blob.getProperties();
        RunId runId = RunId.forDrop("orders", new BlobRef(RunLayout.LANDING, "orders/tagged-lines.csv",
                properties.getETag()), properties.getLastModified().toInstant());
        drain(RunLayout.EXTRACT_QUEUE);
        drain(RunLayout.TRANSFORM_QUEUE);
        drain(RunLayout.STORE_QUEUE);
        CapturingLogger drop = new CapturingLogger();
        CapturingLogger extract = new CapturingLogger();
        CapturingLogger transform = new CapturingLogger();
        CapturingLogger store = new CapturingLogger();

        app.function(FileDropFunction.class).run(blob, "orders/tagged-lines.csv", context(drop));
        app.function(ExtractFunction.class).run(drain(RunLayout.EXTRACT_QUEUE).get(0).getBody().toString(), 1,
                context(extract));
        app.function(TransformFunction.class).run(drain(RunLayout.TRANSFORM_QUEUE).get(0).getBody().toString(), 1,
                context(transform));
        app.function(StoreFunction.class).run(drain(RunLayout.STORE_QUEUE).get(0).getBody().toString(), 1,
                context(store));

        String run = "[run=" + runId + " pipeline=orders ";
        assertEquals(List.of(run + "stage=fileDrop chunk=-] landing/orders/tagged-lines.csv: started run orders/"
                + runId), drop.messages(Level.INFO));
        assertEquals(List.of(run + "stage=extract chunk=-] extract done: orders/" + runId), extract.messages(Level.INFO));
        assertEquals(List.of(run + "stage=transform chunk=0] transform done: orders/" + runId + " chunk 0"),
                transform.messages(Level.INFO));
        assertEquals(List.of(run + "stage=store chunk=-] store done: orders/" + runId), store.messages(Level.INFO));
        assertEquals(java.util.Optional.empty(), io.tributary.run.LogContext.current(), "unbound after each invocation");
    }
}
