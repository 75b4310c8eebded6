package io.tributary.stage;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.alert.WebhookSender;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.fetch.Sleeper;
import io.tributary.port.BlobStore;
import io.tributary.run.AlertDelivery;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.StoreMessage;
import io.tributary.start.Reruns;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import io.tributary.testing.WebhookReceiver.Answer;
import io.tributary.testing.WebhookReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 7: runs through the real stages on Azurite, alerting a real webhook receiver on loopback. A failed
 * run alerts once however often its messages are delivered; a run that commits with more rejects than its
 * {@code alerts.rejectedFraction} alerts once and commits; a webhook that keeps failing changes nothing about the run.
 */
class AlertsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    @BeforeAll
    static void start() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
    }

    private static PipelineDefinition pipeline(String name, String limits) {
        var result = DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "amount", "type": "double"}],
                 %s}""".formatted(name, name, limits), name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    /** 1,000 rows, {@code bad} of them with an amount that is not a number. */
    private static BlobRef land(Path dir, String name, int bad) throws Exception {
        StringBuilder text = new StringBuilder("id,amount\n");
        for (int i = 0; i < 1000; i++) {
            text.append(i).append(',').append(i < bad ? "n/a" : String.valueOf(i)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("upload-" + UUID.randomUUID()), text);
        blobs.upload(RunLayout.LANDING, name, file);
        return new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow().etag());
    }

    private static Alerts alerts(WebhookReceiver receiver, int attempts) {
        Sleeper noWait = duration -> { };
        return new Alerts(blobs, new WebhookSender(URI.create(receiver.url()), attempts, WebhookSender.BACKOFF,
                noWait, Clock.systemUTC()), Clock.systemUTC());
    }

    private static AlertDelivery.Claim claim(RunId runId, String kind) {
        return Json.read(blobs.read(RunLayout.RUNS, RunLayout.alert(runId, kind)).orElseThrow().content(),
                AlertDelivery.Claim.class);
    }

    @Test
    void aFailedRunAlertsOnceAcrossDuplicateDeliveries(@TempDir Path dir) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            PipelineDefinition pipeline = pipeline("alerts-failed", "\"maxRejectedFraction\": 0.1");
            RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty(), alerts(receiver, 3));
            RunId runId = stages.start(land(dir, "alerts-failed/orders.csv", 312), Map.of());

            RunOutcome outcome = stages.runToEnd(runId);
            // The store message again, at once and as a late duplicate; and the run failed again by a last attempt.
            stages.store().handle(stages.queue().last(StoreMessage.class), true);
            stages.store().handle(stages.queue().last(StoreMessage.class), false);
            stages.runs().failUnended(runId, Stage.STORE, -1, new IllegalStateException("late"), Instant.now());
            stages.runs().finish(runId, RunOutcome.failed(Instant.now(), Stage.STORE, -1, "again"));

            assertEquals(RunState.FAILED, outcome.status());
            assertEquals(1, receiver.received().size(), "one alert: " + receiver.received());
            var body = receiver.received().get(0).body();
            assertEquals("Run " + runId + " of pipeline alerts-failed failed in store: " + outcome.error(),
                    body.get("text").asText());
            assertEquals("runFailed", body.get("tributary").get("kind").asText());
            assertEquals(runId.text(), body.get("tributary").get("runId").asText());
            assertEquals("store", body.get("tributary").get("stage").asText());
            AlertDelivery.Claim claim = claim(runId, "runFailed");
            assertEquals(List.of("sent", 1, "HTTP 200"), List.of(claim.delivery().status(),
                    claim.delivery().attempts(), claim.delivery().detail()));
            assertEquals(body.get("text").asText(), claim.alert().text());

            // Resumed by `tributary rerun`, it fails again: that failure alerts once more.
            new Reruns(stages.runs(), stages.queue(), Clock.systemUTC()).resume(runId);
            assertEquals(RunState.FAILED, stages.runToEnd(runId).status());
            stages.store().handle(stages.queue().last(StoreMessage.class), true);
            assertEquals(2, receiver.received().size(), "one alert per failure: " + receiver.received());
            assertEquals(List.of("runFailed.json", "runFailed-1.json"), blobs.list(RunLayout.RUNS, runId + "/alerts/")
                    .stream().map(n -> n.substring(n.lastIndexOf('/') + 1)).sorted(java.util.Comparator.reverseOrder())
                    .toList());
            assertEquals("sent", claim(runId, "runFailed-1").delivery().status());
        }
    }

    @Test
    void aRunOverItsRejectsThresholdCommitsAndAlertsOnce(@TempDir Path dir) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            PipelineDefinition pipeline = pipeline("alerts-rejects",
                    "\"maxRejectedFraction\": 0.5, \"alerts\": {\"rejectedFraction\": 0.01}");
            RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty(), alerts(receiver, 3));
            RunId runId = stages.start(land(dir, "alerts-rejects/orders.csv", 31), Map.of());

            assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());
            stages.store().handle(stages.queue().last(StoreMessage.class), true);

            assertEquals(1, receiver.received().size(), "one alert: " + receiver.received());
            var body = receiver.received().get(0).body();
            assertEquals("Run " + runId + " of pipeline alerts-rejects committed with 31 of 1,000 rows (3.1%) "
                    + "rejected, more than alerts.rejectedFraction 0.01; the rejects are in training/alerts-rejects/"
                    + runId + "/_rejects/", body.get("text").asText());
            assertEquals("rejectsOverThreshold", body.get("tributary").get("kind").asText());
            assertEquals("Tributary: alerts-rejects too many rejects", body.get("title").asText());
            assertEquals("sent", claim(runId, "rejectsOverThreshold").delivery().status());
        }
    }

    @Test
    void aRunWithinItsThresholdSendsNothing(@TempDir Path dir) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            PipelineDefinition pipeline = pipeline("alerts-quiet", "\"alerts\": {\"rejectedFraction\": 0.031}");
            RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty(), alerts(receiver, 3));
            RunId runId = stages.start(land(dir, "alerts-quiet/orders.csv", 31), Map.of());

            assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status(), "31 of 1,000 is not more than 0.031");
            assertEquals(List.of(), receiver.received());
            assertEquals(List.of(), blobs.list(RunLayout.RUNS, runId + "/alerts/"));
        }
    }

    @Test
    void aWebhookThatKeepsFailingChangesNothingAboutTheRun(@TempDir Path dir) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(Answer.status(500), Answer.status(503), Answer.status(500), Answer.status(500));
            PipelineDefinition pipeline = pipeline("alerts-down",
                    "\"maxRejectedFraction\": 0.1, \"alerts\": {\"rejectedFraction\": 0.01}");
            RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty(), alerts(receiver, 2));
            RunId failing = stages.start(land(dir, "alerts-down/failing.csv", 312), Map.of());
            RunId committing = stages.start(land(dir, "alerts-down/committing.csv", 50), Map.of());

            RunOutcome failed = stages.runToEnd(failing);
            RunOutcome committed = stages.runToEnd(committing);

            assertEquals(RunState.FAILED, failed.status());
            assertTrue(failed.error().startsWith("too many rejects: 312 of 1,000 rows"), failed.error());
            assertEquals(RunState.COMMITTED, committed.status());
            assertTrue(blobs.properties(RunLayout.TRAINING, RunLayout.manifest("alerts-down", committing)).isPresent());
            assertEquals(4, receiver.received().size(), "two attempts per alert");
            AlertDelivery gaveUp = claim(failing, "runFailed").delivery();
            assertEquals(List.of("failed", 2, "HTTP 503 (error) from http://127.0.0.1/…"),
                    List.of(gaveUp.status(), gaveUp.attempts(), gaveUp.detail()));
            assertEquals("failed", claim(committing, "rejectsOverThreshold").delivery().status());
            assertTrue(!new String(blobs.read(RunLayout.RUNS, RunLayout.alert(failing, "runFailed")).orElseThrow()
                    .content(), StandardCharsets.UTF_8).contains("s3cr3t"), "the claim keeps the URL secret");
        }
    }
}
