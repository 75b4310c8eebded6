package io.tributary.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.port.StageRow;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.stage.RunStore;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryRunIndex;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of the run history over {@link InMemoryRunIndex}: the index's queries (newest first, filters to the
 * second, attempts counted), retention ({@link HistoryRetention}) and the queries that mend a run whose ending the
 * history missed ({@link RunQueries}). {@code RunHistoryTablesIT} holds the same rules on Azurite's table service.
 */
class HistoryRulesTest {

    private static final Instant T = Instant.parse("2026-11-22T06:00:00Z");

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryRunIndex index = new InMemoryRunIndex();
    private final RunStore runs = new RunStore(blobs, index);

    private static RunRecord record(RunId runId, String pipeline) {
        return new RunRecord(runId, pipeline, "manual", null, "hash", T, Map.of());
    }

    private List<RunId> ids(RunIndex.Filter filter) {
        return index.runs(filter).stream().map(RunSummary::runId).toList();
    }

    @Test
    void theIndexListsRunsNewestFirstAndFiltersByPipelineStatusAndTimeToTheSecond() {
        var old = record(RunId.parse("20261120T060000Z-aaaaaaaaaa"), "orders");
        var mid = record(RunId.parse("20261121T060000Z-bbbbbbbbbb"), "ledger");
        var recent = record(RunId.parse("20261122T060000Z-cccccccccc"), "orders");
        List.of(old, mid, recent).forEach(index::started);
        index.ended(old, RunOutcome.committed(T), new RunIndex.Totals(3, 2, 1, 100));
        index.ended(mid, RunOutcome.failed(T, Stage.TRANSFORM, 2, "boom"), null);

        assertEquals(List.of(recent.runId(), mid.runId(), old.runId()), ids(new RunIndex.Filter(null, null, null, null,
                10)));
        assertEquals(List.of(recent.runId()), ids(new RunIndex.Filter(null, null, null, null, 1)));
        assertEquals(List.of(recent.runId(), old.runId()), ids(new RunIndex.Filter("orders", null, null, null, 10)));
        assertEquals(List.of(old.runId()), ids(new RunIndex.Filter(null, RunState.COMMITTED, null, null, 10)));
        assertEquals(List.of(mid.runId()), ids(new RunIndex.Filter(null, null, Instant.parse("2026-11-21T06:00:00Z"),
                Instant.parse("2026-11-21T06:00:00Z"), 10)), "since and until hold their second");
        RunSummary failed = index.run("ledger", mid.runId()).orElseThrow();
        assertEquals(List.of(RunState.FAILED, "boom", "transform chunk 2", T), List.of(failed.status(), failed.error(),
                failed.failedStage(), failed.endedAt()));
        assertEquals(List.of(3L, 2L, 1L, 100L), List.of(index.run("orders", old.runId()).orElseThrow().rowsIn(),
                index.run("orders", old.runId()).orElseThrow().rowsOut(),
                index.run("orders", old.runId()).orElseThrow().rowsRejected(),
                index.run("orders", old.runId()).orElseThrow().bytes()));
        assertEquals(List.of(), index.run("ledger", old.runId()).stream().toList(), "a run is found in its pipeline");
    }

    @Test
    void aRunningReportStartsAnAttemptAndTheReportsThatEndItCountNone() {
        RunId runId = RunId.parse("20261122T060000Z-cccccccccc");
        StageReport running = StageReport.running(Stage.TRANSFORM, 1, T);
        index.stage(runId, running, null);
        index.stage(runId, running.failed(T, "boom"), null);
        index.stage(runId, running, null);
        index.stage(runId, running.succeeded(T, 3, 2, 1), 512L);
        index.stage(runId, StageReport.running(Stage.EXTRACT, -1, T).succeeded(T, 0, 0, 0), null);

        assertEquals(List.of(new StageRow(Stage.EXTRACT, -1, StageStatus.SUCCEEDED, T, T, 0, 0, 0, null, 1, null),
                new StageRow(Stage.TRANSFORM, 1, StageStatus.SUCCEEDED, T, T, 3, 2, 1, 512L, 2, null)), index.stages(runId));
    }

    @Test
    void retentionDeletesTheHistoryOfRunsOlderThanItsDaysWithTheirStagesAndKeepsTheRest() {
        var old = record(RunId.parse("20260823T055959Z-aaaaaaaaaa"), "orders");
        var kept = record(RunId.parse("20260823T060000Z-bbbbbbbbbb"), "orders");
        List.of(old, kept).forEach(r -> {
            index.started(r);
            index.stage(r.runId(), StageReport.running(Stage.EXTRACT, -1, T), null);
        });

        HistoryRetention retention = new HistoryRetention(index, Clock.fixed(T, ZoneOffset.UTC), 91);
        HistoryRetention.Swept swept = retention.sweep();

        assertEquals(new HistoryRetention.Swept(Instant.parse("2026-08-23T06:00:00Z"), 1), swept);
        assertEquals(List.of(kept.runId()), ids(new RunIndex.Filter(null, null, null, null, 10)));
        assertEquals(List.of(), index.stages(old.runId()));
        assertEquals(1, index.stages(kept.runId()).size());
        assertEquals(0, retention.sweep().runs(), "a second sweep finds nothing more");
        assertThrows(IllegalStateException.class, () -> HistoryRetention.days(name -> java.util.Optional.of("0")));
    }

    @Test
    void aRunWhoseEndingTheHistoryMissedIsFoundByTheStatusItEndedWithAndMended() {
        RunId runId = RunId.parse("20261122T060000Z-dddddddddd");
        RunRecord record = record(runId, "orders");
        blobs.put(io.tributary.run.RunLayout.RUNS, io.tributary.run.RunLayout.runRecord(runId),
                io.tributary.run.Json.bytes(record));
        runs.indexStarted(record);
        index.failNextWrites(1);
        runs.finish(runId, RunOutcome.failed(T, Stage.EXTRACT, -1, "boom"));
        assertEquals(RunState.RUNNING, index.run("orders", runId).orElseThrow().status(), "the history write failed");

        List<RunSummary> failed = new RunQueries(runs).runs(new RunIndex.Filter("orders", RunState.FAILED, null, null, 10));

        assertEquals(List.of(List.of(runId, RunState.FAILED, "boom")), failed.stream()
                .map(r -> List.of(r.runId(), r.status(), r.error())).toList());
        assertEquals(RunState.FAILED, index.run("orders", runId).orElseThrow().status(), "mended");
    }
}
