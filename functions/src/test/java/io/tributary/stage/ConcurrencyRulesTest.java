package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunState;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.start.RunStarter;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryStageQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of a pipeline's concurrency limit ({@link ConcurrencyGate}, {@link GatedExtract}) on the in-memory ports,
 * with a fixed clock. {@code ConcurrencyGateIT} holds the same rules against Azurite.
 */
class ConcurrencyRulesTest {

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RunStore runs = new RunStore(blobs);

    private ConcurrencyGate gateAt(String now) {
        return new ConcurrencyGate(runs, Clock.fixed(Instant.parse(now), ZoneOffset.UTC), Duration.ofHours(24));
    }

    @Test
    void aLimitOfOneAdmitsTheOldestRunFirstAndTheNextOnceItHasAnOutcome() {
        RunId older = RunId.parse("20261122T060000Z-aaaaaaaaaa");
        RunId newer = RunId.parse("20261122T060500Z-bbbbbbbbbb");
        ConcurrencyGate gate = gateAt("2026-11-22T06:10:00Z");
        gate.register("orders", older);

        assertEquals(List.of(false, true, true, false), List.of(gate.admit("orders", newer, 1),
                gate.admit("orders", older, 1), gate.admit("orders", older, 1), gate.admit("orders", newer, 1)),
                "the newer waits for the older, which is admitted once and stays admitted");

        runs.finish(older, RunOutcome.committed(Instant.parse("2026-11-22T06:11:00Z")), null);
        assertTrue(gate.admit("orders", newer, 1), "an ended run frees its place");
        assertEquals(List.of(RunLayout.admittedRun("orders", newer)), blobs.list(RunLayout.STATE,
                RunLayout.admittedPrefix("orders")), "the ended run's markers are gone");
    }

    @Test
    void anAdmittedRunSilentForLongerThanTheStaleLimitIsFailedAsLostAndHoldsNoOne() {
        RunId lost = RunId.parse("20261122T060000Z-aaaaaaaaaa");
        RunId next = RunId.parse("20261122T070000Z-bbbbbbbbbb");
        assertTrue(gateAt("2026-11-22T06:00:00Z").admit("ledger", lost, 1));

        assertEquals(false, gateAt("2026-11-23T06:00:00Z").admit("ledger", next, 1), "a day is not more than a day");
        assertTrue(gateAt("2026-11-23T06:00:01Z").admit("ledger", next, 1));
        RunOutcome outcome = runs.outcome(lost).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertTrue(outcome.error().startsWith("abandoned: no stage reported for 24 h"), outcome.error());
    }

    @Test
    void aRunWaitingOnAJobThatIsStillCheckedIsNotLost() {
        RunId waiting = RunId.parse("20261122T060000Z-aaaaaaaaaa");
        RunId next = RunId.parse("20261122T070000Z-bbbbbbbbbb");
        assertTrue(gateAt("2026-11-22T06:00:00Z").admit("ledger", waiting, 1));
        io.tributary.job.JobHandle notebook = new io.tributary.job.JobHandle("databricks", "https://adb", "1001",
                "t-key", "", Instant.parse("2026-11-22T06:01:00Z"));
        io.tributary.run.JobRecord checked = io.tributary.run.JobRecord.submitted("transform", 0, 1, "notebook /x",
                notebook, Duration.ofDays(3)).checked(300, Instant.parse("2026-11-24T05:55:00Z"),
                new io.tributary.job.JobState(io.tributary.job.JobPhase.RUNNING, "RUNNING", "", ""));
        blobs.put(RunLayout.RUNS, RunLayout.jobRecord(waiting, "transform", 1), io.tributary.run.Json.bytes(checked));

        assertEquals(false, gateAt("2026-11-24T06:00:00Z").admit("ledger", next, 1),
                "two days without a stage report, but its job was checked five minutes ago");
        assertEquals(java.util.Optional.empty(), runs.outcome(waiting));
        assertTrue(gateAt("2026-11-25T05:55:01Z").admit("ledger", next, 1), "a day after the job's last check it is lost");
    }

    private static final PipelineDefinition ONE_AT_A_TIME = DefinitionReader.read("ledger.json", """
            {"schemaVersion": 1, "name": "ledger", "trigger": {"type": "fileDrop", "path": "ledger/*.csv"},
             "concurrency": 1, "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""", "ledger")
            .definition().orElseThrow();

    private final InMemoryStageQueue queue = new InMemoryStageQueue();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T06:10:00Z"), ZoneOffset.UTC);

    /** Drops {@code name}, last modified at {@code at}, and starts its run; returns its extract message. */
    private ExtractMessage started(String name, String at) {
        blobs.put(RunLayout.LANDING, name, "id\n1\n".getBytes(StandardCharsets.UTF_8));
        var source = new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow()
                .etag());
        var runId = RunId.forDrop("ledger", source, Instant.parse(at));
        new RunStarter(runs, queue, clock).start(ONE_AT_A_TIME, runId, source, "fileDrop", Map.of());
        return new ExtractMessage(runId, "ledger", source);
    }

    private GatedExtract gated(Path work) {
        return new GatedExtract(new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(runs, name -> Optional.empty(), work), work, clock),
                new ConcurrencyGate(runs, clock, ConcurrencyGate.DEFAULT_STALE), runs, queue, Duration.ofSeconds(7));
    }

    @Test
    void aHeldRunsMessageIsSentAgainWithTheRecheckDelayAndNothingElseHappens(@TempDir Path work) {
        var first = started("ledger/a.csv", "2026-11-22T06:00:00Z");
        var second = started("ledger/b.csv", "2026-11-22T06:05:00Z");
        int before = queue.sent().size();
        GatedExtract extract = gated(work);

        assertFalse(extract.handle(second, false), "the newer run waits for the older, even when its message is first");
        assertTrue(extract.handle(first, false));

        assertEquals(List.of(new InMemoryStageQueue.Sent(RunLayout.EXTRACT_QUEUE, second, Duration.ofSeconds(7)),
                new InMemoryStageQueue.Sent(RunLayout.TRANSFORM_QUEUE, new TransformMessage(first.runId(), "ledger",
                        first.source(), 0, 1, 0, 5, List.of()))), queue.sent().subList(before, queue.sent().size()));
        assertEquals(Optional.empty(), runs.plan(second.runId()), "a held run is not planned");
        assertEquals(List.of(), runs.reports(second.runId()), "nor reported");
    }

    @Test
    void heldRunsAreAdmittedOneByOneInTheOrderOfTheirIdsAsEachRunningOneEnds(@TempDir Path work) {
        var first = started("ledger/a.csv", "2026-11-22T06:00:00Z");
        var third = started("ledger/c.csv", "2026-11-22T06:02:00Z");
        var second = started("ledger/b.csv", "2026-11-22T06:01:00Z");
        GatedExtract extract = gated(work);
        assertTrue(extract.handle(first, false));
        assertEquals(List.of(false, false), List.of(extract.handle(third, false), extract.handle(second, false)));

        runs.finish(first.runId(), RunOutcome.committed(clock.instant()));
        assertEquals(List.of(false, true), List.of(extract.handle(third, false), extract.handle(second, false)),
                "the older of the held runs goes first, whichever message comes first");

        runs.finish(second.runId(), RunOutcome.failed(clock.instant(), Stage.TRANSFORM, 0, "boom"));
        assertTrue(extract.handle(third, false), "a failed run frees its place too");
        assertEquals(List.of(RunLayout.admittedRun("ledger", third.runId())),
                blobs.list(RunLayout.STATE, RunLayout.admittedPrefix("ledger")));
    }
}
