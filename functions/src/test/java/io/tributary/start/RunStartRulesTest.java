package io.tributary.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunId;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.RunIndex;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.stage.RunStore;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryStageQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of starting a run ({@link RunStarter}) on the in-memory ports. {@code StagesIT} and
 * {@code RunStartLimitsIT} hold the same rules against Azurite.
 */
class RunStartRulesTest {

    private static final RunId RUN = RunId.parse("20261122T060000Z-0123456789");

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RunStore runs = new RunStore(blobs);

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
