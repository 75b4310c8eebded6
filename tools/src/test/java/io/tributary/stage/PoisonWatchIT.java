package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.alert.WebhookSender;
import io.tributary.fetch.Sleeper;
import io.tributary.port.BlobStore;
import io.tributary.run.AlertDelivery;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzurePoisonQueues;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.WebhookReceiver;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The poison watch on Azurite, alerting a real webhook receiver on loopback: a file drop the blob trigger gave up on
 * alerts once however often the watch looks, and stays on its queue; a stage message the last-attempt hook alerted
 * is not alerted again, one it did not is.
 */
class PoisonWatchIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static StorageClients clients;
    static BlobStore blobs;

    @BeforeAll
    static void start() {
        clients = AZURITE.clients();
        blobs = new AzureBlobStore(clients.blobs());
    }

    @BeforeEach
    void emptyPoisonQueues() {
        for (String queue : RunLayout.poisonQueues()) {
            clients.queue(queue).createIfNotExists();
            clients.queue(queue).clearMessages();
        }
    }

    private static Alerts alerts(WebhookReceiver receiver) {
        Sleeper noWait = duration -> { };
        return new Alerts(blobs, new WebhookSender(URI.create(receiver.url()), 2, WebhookSender.BACKOFF, noWait,
                Clock.systemUTC()), Clock.systemUTC());
    }

    private static PoisonWatch watch(Alerts alerts) {
        return new PoisonWatch(new AzurePoisonQueues(clients), blobs, alerts,
                name -> name.startsWith("orders/") ? List.of("orders") : List.of(), 5, Clock.systemUTC());
    }

    private static List<Long> dequeueCounts(String queue) {
        return StreamSupport.stream(clients.rawQueue(queue).peekMessages(32, null, null).spliterator(), false)
                .map(m -> m.getDequeueCount()).toList();
    }

    @Test
    void aPoisonedFileDropAlertsOnceAcrossTwoLooksAndStaysOnItsQueue() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String queue = RunLayout.BLOB_TRIGGER_POISON_QUEUE;
            // As the Functions host reports it; base64 as the host's queue clients write, and one in plain text.
            String report = """
                    {"Type":"BlobTrigger","FunctionId":"Host.Functions.fileDrop","BlobType":"BlockBlob",\
                    "ContainerName":"landing","BlobName":"orders/x.csv","ETag":"\\"0x8DD0A1B2C3D4E5F\\""}""";
            String id = clients.queue(queue).sendMessage(report).getMessageId();
            QueueClient plain = clients.rawQueue(queue);
            String plainId = plain.sendMessage(report.replace("orders/x.csv", "stray/y.csv")
                    .replace("0x8DD0A1B2C3D4E5F", "0x8DD0FFFF")).getMessageId();
            PoisonWatch watch = watch(alerts(receiver));

            PoisonWatch.Look first = watch.look();
            PoisonWatch.Look second = watch.look();

            assertEquals(List.of(2, 2, 0), List.of(first.poisoned(), first.alerted().size(), second.alerted().size()));
            assertEquals(2, second.poisoned(), "the messages stay");
            assertEquals(2, receiver.received().size(), "one alert per message: " + receiver.received());
            JsonNode body = receiver.received().get(0).body();
            assertEquals("The file drop landing/orders/x.csv (ETag \"0x8DD0A1B2C3D4E5F\") failed its blob trigger 5 "
                    + "times and was reported on webjobs-blobtrigger-poison (message " + id + "); it started no run "
                    + "of orders. Inspect it with az storage message peek --queue-name webjobs-blobtrigger-poison "
                    + "--num-messages 32 --account-name ACCOUNT --auth-mode login and the fileDrop function's log, "
                    + "fix the cause, then drop the file again (upload it anew to landing/orders/x.csv).",
                    body.get("text").asText());
            JsonNode own = body.get("tributary");
            assertEquals(List.of("poisonMessage", "orders", "fileDrop", queue, id, "landing/orders/x.csv",
                            "\"0x8DD0A1B2C3D4E5F\"", "5", "Host.Functions.fileDrop"),
                    List.of(own.get("kind").asText(), own.get("pipeline").asText(), own.get("stage").asText(),
                            own.get("queue").asText(), own.get("messageId").asText(), own.get("blob").asText(),
                            own.get("etag").asText(), own.get("tries").asText(), own.get("function").asText()));
            assertEquals(true, own.get("runId").isNull());
            assertEquals("Tributary: orders message poisoned", body.get("title").asText());
            JsonNode stray = receiver.received().get(1).body().get("tributary");
            assertEquals(List.of(plainId, "landing/stray/y.csv", true), List.of(stray.get("messageId").asText(),
                    stray.get("blob").asText(), stray.get("pipeline").isNull()));
            assertEquals("Tributary: fileDrop message poisoned", receiver.received().get(1).body().get("title").asText());

            assertEquals(List.of(0L, 0L), dequeueCounts(queue), "peeked, never received");
            AlertDelivery.Claim claim = Json.read(blobs.read(RunLayout.STATE, RunLayout.poisonAlert(queue, id))
                    .orElseThrow().content(), AlertDelivery.Claim.class);
            assertEquals(List.of("sent", "landing/orders/x.csv"), List.of(claim.delivery().status(),
                    claim.alert().details().get("blob")));
        }
    }

    @Test
    void aStageMessageTheHookAlertedIsNotAlertedAgainOneItDidNotIs() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Alerts alerts = alerts(receiver);
            Instant now = Instant.now();
            RunId hooked = RunId.forSchedule("orders", now);
            RunId unhooked = RunId.forSchedule("orders", now.plusSeconds(60));
            // The last attempt's hook alerted the first run, then the host moved its message to the poison queue.
            alerts.poisoned("orders", hooked, Stage.STORE, -1, RunLayout.STORE_QUEUE, new IllegalStateException("boom"));
            String store = RunLayout.poisonQueue(RunLayout.STORE_QUEUE);
            clients.queue(store).sendMessage(Json.compact(new StoreMessage(hooked, "orders", 3)));
            // The second run's host died on its last attempt: no hook ran.
            String id = clients.queue(store).sendMessage(Json.compact(new StoreMessage(unhooked, "orders", 2)))
                    .getMessageId();
            String extract = RunLayout.poisonQueue(RunLayout.EXTRACT_QUEUE);
            String strayId = clients.rawQueue(extract).sendMessage("hello").getMessageId();
            PoisonWatch watch = watch(alerts);

            PoisonWatch.Look first = watch.look();
            PoisonWatch.Look second = watch.look();

            assertEquals(List.of(3, 2, 3, 0), List.of(first.poisoned(), first.alerted().size(), second.poisoned(),
                    second.alerted().size()));
            assertEquals(3, receiver.received().size(), "the hook's, the unhooked run's, the stray's: "
                    + receiver.received());
            JsonNode own = receiver.received().get(1).body().get("tributary");
            JsonNode strayAlert = receiver.received().get(2).body().get("tributary");
            if (own.get("queue").asText().equals(extract)) {
                JsonNode swap = own;
                own = strayAlert;
                strayAlert = swap;
            }
            assertEquals(List.of("poisonMessage", unhooked.text(), "store", store, id, "5"), List.of(own.get("kind").asText(),
                    own.get("runId").asText(), own.get("stage").asText(), own.get("queue").asText(),
                    own.get("messageId").asText(), own.get("tries").asText()));
            String text = receiver.received().stream().map(r -> r.body().get("text").asText())
                    .filter(t -> t.contains(unhooked.text())).findFirst().orElseThrow();
            assertEquals("The store message of run " + unhooked + " of pipeline orders failed 5 times and is on "
                    + "pipeline-store-poison (message " + id + "). Inspect it with az storage message peek "
                    + "--queue-name pipeline-store-poison --num-messages 32 --account-name ACCOUNT --auth-mode login "
                    + "and the run's log (tributary status " + unhooked + "), fix the cause, then tributary rerun "
                    + unhooked + ".", text);
            assertEquals(List.of(extract, strayId, "extract"), List.of(strayAlert.get("queue").asText(),
                    strayAlert.get("messageId").asText(), strayAlert.get("stage").asText()));
            assertEquals(1, blobs.list(RunLayout.STATE, "alerts/poison/" + store + "/").size(),
                    "only the unhooked message is claimed by the watch");
            assertEquals(List.of(0L, 0L), dequeueCounts(store));
        }
    }
}
