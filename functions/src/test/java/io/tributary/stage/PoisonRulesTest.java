package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.run.RunState;
import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.testing.InMemoryPoisonQueues;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of a poisoned message: its last attempt fails the run once, with one alert, and the poison watch
 * ({@link PoisonWatch}) alerts what no last attempt did, once. {@code PoisonWatchIT} and {@code AlertsIT} hold the same
 * rules against Azurite and a webhook.
 */
class PoisonRulesTest {

    private static final String EVENTS = """
            {"schemaVersion": 1, "name": "events", "trigger": {"type": "fileDrop", "path": "events/*.csv"},
             "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""";

    @TempDir
    Path work;

    private final InMemoryPoisonQueues poison = new InMemoryPoisonQueues();

    private PoisonWatch watch(InMemoryStages stages) {
        return new PoisonWatch(poison, stages.blobs, stages.runs.alerts(), name -> List.of("events"), 5,
                stages.clock);
    }

    private static List<String> kinds(InMemoryStages stages) {
        return stages.alerted.stream().map(Alert::kind).toList();
    }

    @Test
    void aMessagePoisonedOnItsLastAttemptFailsItsRunOnceWithOneAlertAndTheWatchAddsNone() {
        InMemoryStages stages = new InMemoryStages(EVENTS, work);
        var drop = stages.drop("events/a.csv", "id\n1\n");
        RuntimeException error = new IllegalStateException("the engine ran out of memory");
        // What the last attempt's hook does (FunctionApp.attemptFailed), delivered twice.
        for (int i = 0; i < 2; i++) {
            stages.runs.failUnended(drop.runId(), Stage.TRANSFORM, 0, error, InMemoryStages.NOW);
            stages.runs.alerts().poisoned("events", drop.runId(), Stage.TRANSFORM, 0, RunLayout.TRANSFORM_QUEUE, error);
        }
        poison.poison(RunLayout.poisonQueue(RunLayout.TRANSFORM_QUEUE), Json.compact(new TransformMessage(
                drop.runId(), "events", drop.source(), 0, 1, 0, 5, List.of())), InMemoryStages.NOW);

        PoisonWatch.Look first = watch(stages).look();
        PoisonWatch.Look second = watch(stages).look();

        RunOutcome failed = stages.runs.outcome(drop.runId()).orElseThrow();
        assertEquals(List.of(RunState.FAILED, "transform chunk 0"), List.of(failed.status(), failed.place()));
        assertEquals(List.of(Alert.RUN_FAILED, Alert.POISON_MESSAGE), kinds(stages));
        assertEquals(List.of(1, List.of()), List.of(first.poisoned(), first.alerted()));
        assertEquals(List.of(1, List.of()), List.of(second.poisoned(), second.alerted()));
        assertEquals(RunState.FAILED, stages.index.run("events", drop.runId()).orElseThrow().status());
    }

    @Test
    void aPoisonedMessageNoLastAttemptSawIsAlertedOnceByTheWatch() {
        InMemoryStages stages = new InMemoryStages(EVENTS, work);
        var drop = stages.drop("events/a.csv", "id\n1\n");
        var message = poison.poison(RunLayout.poisonQueue(RunLayout.TRANSFORM_QUEUE), Json.compact(
                new TransformMessage(drop.runId(), "events", drop.source(), 0, 1, 0, 5, List.of())),
                InMemoryStages.NOW);
        poison.poison(RunLayout.BLOB_TRIGGER_POISON_QUEUE, "{\"ContainerName\": \"landing\", \"BlobName\": "
                + "\"events/b.csv\"}", InMemoryStages.NOW);

        PoisonWatch.Look first = watch(stages).look();
        PoisonWatch.Look second = watch(stages).look();

        assertEquals(2, first.alerted().size());
        assertEquals(List.of(2, List.of()), List.of(second.poisoned(), second.alerted()), "a second look sends none");
        Alert alert = stages.alerted.stream().filter(a -> drop.runId().equals(a.runId())).findFirst().orElseThrow();
        assertEquals(List.of(Alert.POISON_MESSAGE, "events", Stage.TRANSFORM, 0),
                List.of(alert.kind(), alert.pipeline(), alert.stage(), alert.chunk()));
        AlertDelivery.Claim claim = Json.read(stages.blobs.read(RunLayout.STATE, RunLayout.poisonAlert(
                message.queue(), message.id())).orElseThrow().content(), AlertDelivery.Claim.class);
        assertEquals("sent", claim.delivery().status());
        assertEquals(Instant.parse("2026-11-22T06:00:00Z"), claim.alert().at());
    }
}
