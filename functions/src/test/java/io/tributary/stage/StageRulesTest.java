package io.tributary.stage;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryStageQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of starting a run, of fan-in and of a pipeline's concurrency limit, on the blob store's and the stage
 * queues' contracts held in memory: fast enough to try every order of deliveries. {@code StagesIT},
 * {@code ConcurrencyGateIT}, {@code ExactlyOnceIT}, {@code ChunkedRunsIT} and {@code RunStartLimitsIT} hold the same
 * rules against Azurite.
 */
class StageRulesTest {

    private static final RunId RUN = RunId.parse("20261122T060000Z-0123456789");

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RunStore runs = new RunStore(blobs);
    private final List<String> sent = new ArrayList<>();

    private void deliver(int done, int expected) {
        FanIn.whenComplete(runs, RUN, RUN + "/chunks/", expected, RUN + "/claims/store", "store",
                () -> sent.add("store " + done + "/" + expected));
    }

    private void finishChunk(int chunk) {
        blobs.createIfAbsent(RunLayout.RUNS, RUN + "/chunks/" + chunk + ".json", new byte[0]);
    }

    @Test
    void fanInHandsTheRunOnOnceWhenItsLastPieceIsDoneWhateverTheOrderOfDeliveries() {
        finishChunk(0);
        deliver(1, 3);
        finishChunk(2);
        deliver(2, 3);
        assertEquals(List.of(), sent, "not before every piece is done");

        finishChunk(1);
        deliver(3, 3);
        deliver(3, 3); // the last chunk's message delivered again
        deliver(3, 3); // and an earlier chunk's, late
        assertEquals(List.of("store 3/3"), sent, "once, by the delivery that won the claim");
        assertTrue(runs.handedOff(RUN, "store"));
    }

    @Test
    void fanInSendsAgainWhenTheClaimsWinnerDiedBeforeItsHandOffButNotAfterTheRunEnded() {
        finishChunk(0);
        // The winner took the claim and died before sending.
        blobs.createIfAbsent(RunLayout.RUNS, RUN + "/claims/store", new byte[0]);
        deliver(1, 1);
        assertEquals(List.of("store 1/1"), sent, "the next delivery sends what the winner did not");
        deliver(1, 1);
        assertEquals(1, sent.size(), "marked handed off: no third send");

        InMemoryBlobStore other = new InMemoryBlobStore();
        RunStore ended = new RunStore(other);
        other.createIfAbsent(RunLayout.RUNS, RUN + "/chunks/0.json", new byte[0]);
        other.createIfAbsent(RunLayout.RUNS, RUN + "/claims/store", new byte[0]);
        ended.finish(RUN, RunOutcome.failed(Instant.parse("2026-11-22T06:01:00Z"), "transform", 0, "boom"), null);
        List<String> late = new ArrayList<>();
        FanIn.whenComplete(ended, RUN, RUN + "/chunks/", 1, RUN + "/claims/store", "store", () -> late.add("store"));
        assertEquals(List.of(), late, "a run with an outcome is not handed on");
    }

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

    private static final PipelineDefinition ORDERS = DefinitionReader.read("orders.json", """
            {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
             "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""", "orders")
            .definition().orElseThrow();

    private final InMemoryStageQueue queue = new InMemoryStageQueue();

    private RunStarter starter(RunStore store) {
        return new RunStarter(store, queue, Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aTriggerFiredTwiceStartsOneRunAndHandsItToExtractOnce() {
        RunStarter starter = starter(runs);
        assertTrue(starter.start(ORDERS, RUN, null, "manual", Map.of()).isNew());
        assertFalse(starter.start(ORDERS, RUN, null, "manual", Map.of()).isNew());
        assertEquals(List.of(new InMemoryStageQueue.Sent(RunLayout.EXTRACT_QUEUE,
                new ExtractMessage(RUN, "orders", null))), queue.sent());
        assertEquals("manual", runs.record(RUN).orElseThrow().trigger());
    }

    @Test
    void aHandOffThatFailedIsSentAgainByTheTriggersRetryAndOnlyThen() {
        RunStarter starter = starter(runs);
        queue.failNext(1);
        assertThrows(IllegalStateException.class, () -> starter.start(ORDERS, RUN, null, "manual", Map.of()));
        assertTrue(runs.record(RUN).isPresent(), "the run stands: a send that failed may still have been delivered");
        assertEquals(List.of(), queue.sent());

        assertFalse(starter.start(ORDERS, RUN, null, "manual", Map.of()).isNew());
        starter.start(ORDERS, RUN, null, "manual", Map.of());
        assertEquals(1, queue.sent().size(), "sent by the retry, not again once handed off");
    }

    @Test
    void aStartWhoseHistoryWriteFailsLeavesNothingThatHoldsThePipeline() {
        RunIndex refusing = new RunIndex.Empty() {
            @Override
            public void started(RunRecord record) {
                throw new IllegalStateException("the history refused the row");
            }
        };
        RunStore store = new RunStore(blobs, refusing);
        assertThrows(IllegalStateException.class, () -> starter(store).start(ORDERS, RUN, null, "manual", Map.of()));
        assertEquals(List.of(), blobs.list(RunLayout.RUNS, RUN + "/"), "no record, no snapshot");
        assertEquals(List.of(), blobs.list(RunLayout.STATE, RunLayout.activePrefix("orders")), "no marker");
        assertEquals(List.of(), queue.sent());

        assertTrue(starter(runs).start(ORDERS, RUN, null, "manual", Map.of()).isNew(), "a retry starts it afresh");
    }
}
