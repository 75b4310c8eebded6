package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.port.BlobStore;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.StageMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzureStageQueue;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline's concurrency limit on Azurite: a second run waits at extract until the first has an outcome; and the
 * gate's rules with a fixed clock. The tests share one Azurite, so each names its own pipelines.
 */
class ConcurrencyGateIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static StorageClients clients;
    static BlobStore blobs;

    /** Records sends with their delays. */
    static final class DelayQueue implements StageQueue {
        final List<StageMessage> sent = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public void send(String queue, StageMessage message) {
            send(queue, message, Duration.ZERO);
        }

        @Override
        public void send(String queue, StageMessage message, Duration delay) {
            sent.add(message);
            delays.add(delay);
        }
    }

    @BeforeAll
    static void connect() {
        clients = AZURITE.clients();
        blobs = new AzureBlobStore(clients.blobs());
    }

    private static PipelineDefinition pipeline(String name, int concurrency) {
        return DefinitionReader.read(name + ".json", "{\"schemaVersion\": 1, \"name\": \"" + name + "\", "
                + "\"concurrency\": " + concurrency + ", \"trigger\": {\"type\": \"fileDrop\", \"path\": \"" + name
                + "/*.csv\"}, \"source\": {\"format\": \"csv\"}, \"columns\": [{\"name\": \"id\", \"type\": \"long\"}]}",
                name).definition().orElseThrow();
    }

    private static BlobRef drop(Path dir, String name) throws Exception {
        Path file = dir.resolve("drop.csv");
        Files.writeString(file, "id\n1\n2\n");
        blobs.upload(RunLayout.LANDING, name, file);
        return new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow().etag());
    }

    @Test
    void aSecondRunIsHeldUntilTheFirstEndsThenGoesOn(@TempDir Path dir) throws Exception {
        PipelineDefinition events = pipeline("events", 1);
        RunStore runs = new RunStore(blobs);
        DelayQueue queue = new DelayQueue();
        RunStarter starter = new RunStarter(runs, queue, Clock.systemUTC());
        BlobRef first = drop(dir, "events/a.csv");
        BlobRef second = drop(dir, "events/b.csv");
        RunId firstRun = RunId.forDrop("events", first, Instant.parse("2026-11-22T06:00:00Z"));
        RunId secondRun = RunId.forDrop("events", second, Instant.parse("2026-11-22T06:00:05Z"));
        starter.start(events, firstRun, first, "fileDrop", Map.of());
        starter.start(events, secondRun, second, "fileDrop", Map.of());
        assertEquals(List.of(RunLayout.activeRun("events", firstRun), RunLayout.activeRun("events", secondRun)),
                blobs.list(RunLayout.STATE, RunLayout.activePrefix("events")));
        queue.sent.clear();
        queue.delays.clear();
        GatedExtract extract = new GatedExtract(new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(runs, name -> java.util.Optional.empty(), dir.resolve("work")), dir.resolve("work"),
                Clock.systemUTC()), new ConcurrencyGate(runs, Clock.systemUTC(),
                ConcurrencyGate.DEFAULT_STALE), runs, queue, Duration.ofSeconds(7));

        assertFalse(extract.handle(new ExtractMessage(secondRun, "events", second), false),
                "the newer run waits for the older one, even when its message comes first");
        assertTrue(extract.handle(new ExtractMessage(firstRun, "events", first), false));
        assertFalse(extract.handle(new ExtractMessage(secondRun, "events", second), false));

        assertEquals(List.of(new ExtractMessage(secondRun, "events", second),
                new TransformMessage(firstRun, "events", first, 0, 1, 0, 7, List.of()),
                new ExtractMessage(secondRun, "events", second)), queue.sent);
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ZERO, Duration.ofSeconds(7)), queue.delays);
        assertTrue(runs.blobs().list(RunLayout.RUNS, RunLayout.stagesPrefix(secondRun)).isEmpty(),
                "a held run has done nothing");

        runs.finish(firstRun, RunOutcome.committed(Instant.now()));
        assertEquals(List.of(RunLayout.activeRun("events", secondRun)),
                blobs.list(RunLayout.STATE, RunLayout.activePrefix("events")), "an ended run no longer counts");
        assertTrue(extract.handle(new ExtractMessage(secondRun, "events", second), false));
        assertEquals(new TransformMessage(secondRun, "events", second, 0, 1, 0, 7, List.of()),
                queue.sent.get(queue.sent.size() - 1));
        assertTrue(extract.handle(new ExtractMessage(secondRun, "events", second), false),
                "a redelivered message of an admitted run goes on");
    }

    @Test
    void aLimitOfTwoLetsTwoRunsGoAndHoldsTheThird(@TempDir Path dir) throws Exception {
        PipelineDefinition wide = pipeline("wide", 2);
        RunStore runs = new RunStore(blobs);
        DelayQueue queue = new DelayQueue();
        RunStarter starter = new RunStarter(runs, queue, Clock.systemUTC());
        ConcurrencyGate gate = new ConcurrencyGate(runs, Clock.systemUTC(), ConcurrencyGate.DEFAULT_STALE);
        List<RunId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlobRef source = drop(dir, "wide/" + i + ".csv");
            RunId runId = RunId.forDrop("wide", source, Instant.parse("2026-11-22T06:00:0" + i + "Z"));
            starter.start(wide, runId, source, "fileDrop", Map.of());
            ids.add(runId);
        }
        assertEquals(List.of(true, true, false), ids.stream().map(id -> gate.admit("wide", id, 2)).toList());
        runs.attemptFailed(ids.get(1), io.tributary.run.StageReport.running(Stage.TRANSFORM, 0, Instant.now()), "boom",
                true, Instant.now());
        assertTrue(gate.admit("wide", ids.get(2), 2), "a failed run frees its place too");
    }

    @Test
    void aDelayedMessageStaysInvisibleUntilItsDelay() {
        AzureStageQueue queue = new AzureStageQueue(clients);
        clients.queue("held-test").createIfNotExists();
        queue.send("held-test", new ExtractMessage(RunId.parse("20261122T060000Z-0123456789"), "events", null), Duration.ofSeconds(30));
        assertEquals(1, clients.queue("held-test").getProperties().getApproximateMessagesCount());
        assertFalse(clients.queue("held-test").receiveMessages(1).iterator().hasNext(), "not visible yet");
    }

    private static ConcurrencyGate gateAt(String now) {
        return new ConcurrencyGate(new RunStore(blobs), Clock.fixed(Instant.parse(now), ZoneOffset.UTC),
                Duration.ofHours(24));
    }

    private static final String ABANDONED = "abandoned: no stage reported for 24 h; the run is considered lost; "
            + "start it again (tributary run) if needed";

    private static List<String> markers(String prefix) {
        return blobs.list(RunLayout.STATE, prefix);
    }

    @Test
    void runsGoInRunIdOrderAndAnAdmittedRunCountsUntilItIsStaleThenItIsFailedAsLost() {
        RunId older = RunId.parse("20261122T060000Z-aaaaaaaaaa");
        RunId newer = RunId.parse("20261122T070000Z-bbbbbbbbbb");
        ConcurrencyGate gate = gateAt("2026-11-22T07:00:00Z");
        gate.register("orders", older);
        gate.register("orders", newer);
        assertEquals(List.of(false, true, false), List.of(gate.admit("orders", newer, 1), gate.admit("orders", older, 1),
                gate.admit("orders", newer, 1)));
        assertEquals(List.of(RunLayout.admittedRun("orders", older)), markers(RunLayout.admittedPrefix("orders")));

        assertEquals(false, gateAt("2026-11-23T07:00:00Z").admit("orders", newer, 1), "a day is not more than a day");
        assertEquals(java.util.Optional.empty(), new RunStore(blobs).outcome(older));

        assertEquals(true, gateAt("2026-11-23T07:00:01Z").admit("orders", newer, 1),
                "admitted more than a day ago, nothing reported since: it no longer holds the pipeline");
        assertEquals(java.util.Optional.of(RunOutcome.failed(Instant.parse("2026-11-23T07:00:01Z"), Stage.EXTRACT, -1,
                ABANDONED)), new RunStore(blobs).outcome(older));
        assertEquals(List.of(RunLayout.activeRun("orders", newer)), markers(RunLayout.activePrefix("orders")));
        assertEquals(List.of(RunLayout.admittedRun("orders", newer)), markers(RunLayout.admittedPrefix("orders")));
    }

    @Test
    void aRunStrandedBeforeItsExtractHoldsTheNewerOnesOnlyUntilItIsStale() {
        RunId stranded = RunId.parse("20261122T060000Z-5555555555");
        RunId newer = RunId.parse("20261122T070000Z-6666666666");
        gateAt("2026-11-22T06:00:00Z").register("stranded", stranded);
        gateAt("2026-11-22T07:00:00Z").register("stranded", newer);
        assertEquals(List.of(false, false), List.of(gateAt("2026-11-22T07:00:00Z").admit("stranded", newer, 1),
                gateAt("2026-11-23T06:00:00Z").admit("stranded", newer, 1)),
                "registered, never handed to extract: it is ahead of the newer run for a day");
        assertEquals(java.util.Optional.empty(), new RunStore(blobs).outcome(stranded));

        assertEquals(true, gateAt("2026-11-23T06:00:01Z").admit("stranded", newer, 1));
        assertEquals(java.util.Optional.of(RunOutcome.failed(Instant.parse("2026-11-23T06:00:01Z"), Stage.EXTRACT, -1,
                ABANDONED)), new RunStore(blobs).outcome(stranded));
        assertEquals(List.of(RunLayout.activeRun("stranded", newer)), markers(RunLayout.activePrefix("stranded")));
    }

    @Test
    void aHeldRunIsNotLostHoweverLongItWaits() {
        RunId going = RunId.parse("20261122T070000Z-1111111111");
        RunId waiting = RunId.parse("20261122T070001Z-2222222222");
        RunId last = RunId.parse("20261122T070002Z-3333333333");
        RunStore runs = new RunStore(blobs);
        ConcurrencyGate start = gateAt("2026-11-22T07:00:00Z");
        for (RunId runId : List.of(going, waiting, last)) {
            start.register("ledger", runId);
        }
        assertEquals(List.of(true, false), List.of(start.admit("ledger", going, 1), start.admit("ledger", waiting, 1)));
        assertEquals(false, gateAt("2026-11-23T05:00:00Z").admit("ledger", waiting, 1), "it checks again, and waits");
        runs.finish(going, RunOutcome.committed(Instant.parse("2026-11-23T07:00:00Z")));

        assertEquals(false, gateAt("2026-11-23T08:00:00Z").admit("ledger", last, 1),
                "started more than a day ago, the waiting run was seen waiting since: it is ahead");
        assertEquals(java.util.Optional.empty(), runs.outcome(waiting));
        assertEquals(List.of(true, false), List.of(gateAt("2026-11-23T08:00:01Z").admit("ledger", waiting, 1),
                gateAt("2026-11-23T08:00:01Z").admit("ledger", last, 1)));
    }

    @Test
    void aRunThatReportsStagesIsGoingUntilADayAfterItsLastReport() {
        RunId going = RunId.parse("20261122T070000Z-4444444444");
        RunId next = RunId.parse("20261122T080000Z-7777777777");
        RunStore runs = new RunStore(blobs);
        ConcurrencyGate start = gateAt("2026-11-22T07:00:00Z");
        start.register("reporting", going);
        assertEquals(true, start.admit("reporting", going, 1));
        runs.report(going, io.tributary.run.StageReport.running(Stage.TRANSFORM, 0, Instant.parse("2026-11-22T07:10:00Z"))
                .succeeded(Instant.parse("2026-11-22T07:20:00Z"), 5, 5, 0));
        runs.report(going, io.tributary.run.StageReport.running(Stage.TRANSFORM, 1, Instant.parse("2026-11-23T06:00:00Z")));
        runs.report(going, io.tributary.run.StageReport.running(Stage.TRANSFORM, 2, Instant.parse("2026-11-22T07:10:00Z")));

        assertEquals(List.of(false, false), List.of(gateAt("2026-11-23T08:00:00Z").admit("reporting", next, 1),
                gateAt("2026-11-24T06:00:00Z").admit("reporting", next, 1)));
        assertEquals(java.util.Optional.empty(), runs.outcome(going));

        assertEquals(true, gateAt("2026-11-24T06:00:01Z").admit("reporting", next, 1));
        assertEquals(java.util.Optional.of(RunOutcome.failed(Instant.parse("2026-11-24T06:00:01Z"), Stage.TRANSFORM, 1,
                ABANDONED)), runs.outcome(going), "the first chunk that did not finish");
        io.tributary.run.StageReport report = io.tributary.run.Json.read(blobs.read(RunLayout.RUNS,
                RunLayout.stageReport(going, Stage.TRANSFORM, 1)).orElseThrow().content(), io.tributary.run.StageReport.class);
        assertEquals(List.of(io.tributary.run.StageStatus.FAILED, ABANDONED, Instant.parse("2026-11-24T06:00:01Z")),
                List.of(report.status(), report.error(), report.finishedAt()), "its report no longer says running");
    }

    @Test
    void aLostRunIsFailedInTheStageAfterTheLastOneItFinished() {
        RunId lost = RunId.parse("20261122T060000Z-8888888888");
        RunStore runs = new RunStore(blobs);
        ConcurrencyGate start = gateAt("2026-11-22T06:00:00Z");
        start.register("lost-stage", lost);
        assertEquals(true, start.admit("lost-stage", lost, 1));
        runs.report(lost, io.tributary.run.StageReport.running(Stage.EXTRACT, -1, Instant.parse("2026-11-22T06:00:01Z"))
                .succeeded(Instant.parse("2026-11-22T06:00:05Z"), 0, 0, 0));
        assertEquals(false, gateAt("2026-11-23T06:00:05Z").admit("lost-stage", RunId.parse("20261123T060000Z-9999999999"), 1));
        assertEquals(true, gateAt("2026-11-23T06:00:06Z").admit("lost-stage", RunId.parse("20261123T060000Z-9999999999"), 1));
        assertEquals(java.util.Optional.of(RunOutcome.failed(Instant.parse("2026-11-23T06:00:06Z"), Stage.TRANSFORM, -1,
                ABANDONED)), runs.outcome(lost), "its extract succeeded; its transform never reported");
    }

    @Test
    void otherPipelinesDoNotCount() {
        ConcurrencyGate gate = gateAt("2026-11-22T07:00:00Z");
        gate.register("returns", RunId.parse("20261122T060000Z-dddddddddd"));
        assertEquals(true, gate.admit("returns", RunId.parse("20261122T060000Z-dddddddddd"), 1));
        assertEquals(true, gate.admit("stock", RunId.parse("20261122T070000Z-cccccccccc"), 1));
    }
}
