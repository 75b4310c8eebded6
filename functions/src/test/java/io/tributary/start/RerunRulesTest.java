package io.tributary.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunState;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Rerun;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.stage.RunStore;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryRunIndex;
import io.tributary.testing.InMemoryStageQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rules of a rerun ({@link Reruns}) on the in-memory ports: a resume goes on from what failed, a start-over is a
 * new run; only a failed run is rerun; one rerun per failure, however often asked, and never both kinds.
 * {@code RerunsIT} holds the same rules against Azurite, running the runs to their commit.
 */
class RerunRulesTest {

    private static final PipelineDefinition ORDERS = DefinitionReader.read("orders.json", """
            {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
             "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""", "orders")
            .definition().orElseThrow();
    private static final Instant FAILED_AT = Instant.parse("2026-11-22T06:01:00Z");
    private static final BlobRef SOURCE = new BlobRef(RunLayout.LANDING, "orders/a.csv", "\"0x1\"");

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryRunIndex index = new InMemoryRunIndex();
    private final RunStore runs = new RunStore(blobs, index);
    private final InMemoryStageQueue queue = new InMemoryStageQueue();
    private final Reruns reruns = new Reruns(runs, queue, clock);
    private final RunRecord run = started();

    private RunRecord started() {
        var runId = RunId.forDrop("orders", SOURCE, Instant.parse("2026-11-22T06:00:00Z"));
        new RunStarter(runs, queue, clock).start(ORDERS, runId, SOURCE, "fileDrop", Map.of());
        return runs.record(runId).orElseThrow();
    }

    private RunOutcome failIn(Stage stage, int chunk) {
        RunOutcome failed = RunOutcome.failed(FAILED_AT, stage, chunk, "boom");
        runs.finish(run.runId(), failed);
        return failed;
    }

    private <T> List<T> sent(Class<T> type) {
        return queue.sent().stream().map(InMemoryStageQueue.Sent::message).filter(type::isInstance).map(type::cast)
                .toList();
    }

    @Test
    void aResumeOfARunWithoutAPlanSendsExtractAgainOnceAndClearsItsOutcome() {
        RunOutcome failed = failIn(Stage.EXTRACT, -1);

        Reruns.Started started = reruns.resume(run.runId());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> reruns.resume(run.runId()));

        assertEquals(new Reruns.Started(Rerun.RESUME, run.runId(), Stage.EXTRACT, List.of(), 0, 0, true, failed), started);
        assertEquals("run " + run.runId() + " is still in flight (resumed): only a failed run can be rerun; "
                + "'tributary status " + run.runId() + "' follows it", twice.getMessage());
        assertEquals(List.of(new ExtractMessage(run.runId(), "orders", SOURCE),
                new ExtractMessage(run.runId(), "orders", SOURCE)), sent(ExtractMessage.class), "the start's and one");
        assertEquals(Optional.empty(), runs.outcome(run.runId()));
        assertEquals(List.of(new Rerun(Rerun.RESUME, run.runId(), clock.instant(), failed)), reruns.of(run.runId()));
        assertEquals(List.of(RunState.RUNNING, 3_540_000L), index.run("orders", run.runId())
                .map(r -> List.<Object>of(r.status(), r.waitedMillis())).orElseThrow(), "it waited 59 min to resume");
    }

    @Test
    void aResumeAfterAFailedChunkSendsOnlyTheChunksNotDone() {
        List<TransformMessage> chunks = IntStream.range(0, 3).mapToObj(i -> new TransformMessage(run.runId(),
                "orders", SOURCE, i, 3, i * 10L, 10, List.of())).toList();
        runs.recordPlan(run.runId(), new RunPlan(chunks));
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.chunkResult(run.runId(), 1), new byte[0]);
        RunOutcome failed = failIn(Stage.TRANSFORM, 0);

        Reruns.Started started = reruns.resume(run.runId());

        assertEquals(new Reruns.Started(Rerun.RESUME, run.runId(), Stage.TRANSFORM, List.of(0, 2), 1, 3, true, failed),
                started);
        assertEquals(List.of(chunks.get(0), chunks.get(2)), sent(TransformMessage.class));
        assertEquals(List.of(RunLayout.admittedRun("orders", run.runId())),
                blobs.list(RunLayout.STATE, RunLayout.admittedPrefix("orders")), "admitted again past extract");
    }

    @Test
    void aRunWhosePartsInItsTableAreGoneIsNotResumedButCanStartOver() {
        PipelineDefinition table = DefinitionReader.read("orders.json", """
                {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}],
                 "output": {"table": {"mode": "append"}}}""", "orders").definition().orElseThrow();
        RunId runId = RunId.forDrop("orders", SOURCE, Instant.parse("2026-11-22T06:30:00Z"));
        new RunStarter(runs, queue, clock).start(table, runId, SOURCE, "fileDrop", Map.of());
        runs.recordPlan(runId, new RunPlan(IntStream.range(0, 2).mapToObj(i -> new TransformMessage(runId, "orders",
                SOURCE, i, 2, i * 10L, 10, List.of())).toList()));
        String part = RunLayout.tablePart("orders", runId, null, "", 0, 0, ".parquet");
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.chunkResult(runId, 0), io.tributary.run.Json.bytes(
                new io.tributary.run.ChunkResult(0, 10, 10, 0, List.of(), List.of(new io.tributary.run.ChunkResult.Part(
                        io.tributary.engine.ChunkOutput.NO_SPLIT, part, 10, 100)), null, null, null, null)));
        runs.finish(runId, RunOutcome.failed(FAILED_AT, Stage.TRANSFORM, 1, "boom"));

        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> reruns.resume(runId));

        assertEquals("run " + runId + " cannot be resumed: its part training/" + part + " is gone (the table's vacuum "
                + "deletes the parts of a run that failed longer than the table's retention ago); start it over with "
                + "'tributary rerun " + runId + " --from-start'", gone.getMessage());
        assertEquals(List.of(), blobs.list(RunLayout.RUNS, RunLayout.rerunsPrefix(runId)), "nothing claimed");
        assertEquals(RunState.FAILED, runs.outcome(runId).orElseThrow().status());
        blobs.put(RunLayout.TRAINING, part, new byte[100]);
        assertEquals(List.of(1), reruns.resume(runId).chunks());
    }

    @Test
    void aRunInFlightACommittedRunAndAnUnknownRunAreNotRerun() {
        IllegalStateException inFlight = assertThrows(IllegalStateException.class, () -> reruns.fromStart(run.runId()));
        assertEquals("run " + run.runId() + " is still in flight: only a failed run can be rerun; 'tributary status "
                + run.runId() + "' follows it", inFlight.getMessage());

        runs.finish(run.runId(), RunOutcome.committed(FAILED_AT));
        IllegalStateException committed = assertThrows(IllegalStateException.class, () -> reruns.resume(run.runId()));
        assertEquals("already committed: run " + run.runId() + " of orders committed at " + FAILED_AT
                + "; its dataset is training/orders/" + run.runId() + "/", committed.getMessage());
        assertThrows(IllegalStateException.class, () -> reruns.fromStart(run.runId()));
        assertThrows(IllegalArgumentException.class, () -> reruns.resume(RunId.parse("20261122T060000Z-ffffffffff")));
        assertEquals(List.of(), reruns.of(run.runId()));
        assertEquals(1, queue.sent().size(), "only the start's extract");
    }

    @Test
    void aStartOverAskedTwiceFindsTheSameNewRunAndTheFailedRunCanNoLongerBeResumed() {
        RunOutcome failed = failIn(Stage.TRANSFORM, 0);

        Reruns.Started over = reruns.fromStart(run.runId());
        Reruns.Started again = reruns.fromStart(run.runId());
        IllegalStateException resume = assertThrows(IllegalStateException.class, () -> reruns.resume(run.runId()));

        var newRun = over.runId();
        assertNotEquals(run.runId(), newRun);
        assertEquals(new Reruns.Started(Rerun.FROM_START, newRun, Stage.EXTRACT, List.of(), 0, 0, false, failed), again);
        assertTrue(over.isNew());
        assertEquals("run " + run.runId() + " was rerun from the start as " + newRun + "; it cannot be resumed as well "
                + "(both could commit): rerun " + newRun + " instead", resume.getMessage());
        RunRecord record = runs.record(newRun).orElseThrow();
        assertEquals(List.of("rerun", run.runId(), SOURCE, run.definitionHash()),
                List.of(record.trigger(), record.rerunOf(), record.source(), record.definitionHash()));
        assertEquals(List.of(new ExtractMessage(run.runId(), "orders", SOURCE),
                new ExtractMessage(newRun, "orders", SOURCE)), sent(ExtractMessage.class));
        assertEquals(failed, runs.outcome(run.runId()).orElseThrow(), "the failed run stays failed");
    }

    @Test
    void aResumedRunThatFailsAgainCanBeRerunAgainOncePerFailure() {
        failIn(Stage.EXTRACT, -1);
        reruns.resume(run.runId());
        RunOutcome again = RunOutcome.failed(FAILED_AT.plusSeconds(60), Stage.EXTRACT, -1, "boom again");
        runs.finish(run.runId(), again);

        Reruns.Started over = reruns.fromStart(run.runId());

        assertTrue(over.isNew());
        assertEquals(again, over.failed());
        assertEquals(List.of(Rerun.RESUME, Rerun.FROM_START), reruns.of(run.runId()).stream().map(Rerun::kind)
                .toList());
        assertFalse(reruns.fromStart(run.runId()).isNew());
    }
}
