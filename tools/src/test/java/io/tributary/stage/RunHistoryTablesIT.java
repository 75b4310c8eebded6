package io.tributary.stage;

import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.HistoryBackfill;
import io.tributary.history.HistoryRetention;
import io.tributary.history.RunHistory;
import io.tributary.history.RunQueries;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.port.StageRow;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.start.Reruns;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run history on Azurite's table service: real runs through the real stages write rows that say what happened
 * (status, counts, bytes, attempts, times); the filtered queries find what they ask for, newest first; retention
 * removes old runs' rows and nothing else.
 */
class RunHistoryTablesIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static StorageClients clients;
    static BlobStore blobs;
    static RunIndex index;
    static RunStore runs;

    @BeforeAll
    static void connect() {
        clients = AZURITE.clients();
        blobs = new AzureBlobStore(clients.blobs());
        index = new TableRunIndex(clients);
        runs = new RunStore(blobs, index);
        clients.createContainer("reference");
    }

    private static PipelineDefinition definition(String name, String steps) {
        var result = DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "source": {"format": "csv"},
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}],
                 "steps": [%s]}""".formatted(name, steps), name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    private static BlobRef upload(Path dir, String container, String name, String content) throws Exception {
        Path file = dir.resolve("upload-" + UUID.randomUUID());
        Files.writeString(file, content);
        blobs.upload(container, name, file);
        return new BlobRef(container, name, blobs.properties(container, name).orElseThrow().etag());
    }

    private static StageRow stage(List<StageRow> rows, Stage stage, int chunk) {
        return rows.stream().filter(r -> r.stage() == stage && r.chunk() == chunk).findFirst()
                .orElseThrow(() -> new AssertionError("no " + stage + " " + chunk + " row in " + rows));
    }

    @Test
    void aCommittedRunsRowsSayWhatItReadWroteAndRejected(@TempDir Path dir) throws Exception {
        RunStages stages = RunStages.on(runs, dir, definition("hist-orders", ""), name -> Optional.empty());
        BlobRef source = upload(dir, RunLayout.LANDING, "hist-orders/orders.csv",
                "shop_id,units\nS1,2\nS2,lots\nS3,6\nS4,n/a\nS5,1\n");
        RunId runId = stages.start(source, Map.of("region", "emea"));
        RunSummary started = index.run("hist-orders", runId).orElseThrow();
        assertEquals(List.of("running", "manual"), List.of(started.status().text(), started.trigger()));
        assertNull(started.endedAt());

        RunOutcome outcome = stages.runToEnd(runId);

        assertEquals(RunState.COMMITTED, outcome.status());
        RunRecord record = runs.record(runId).orElseThrow();
        Manifest manifest = new RunHistory(runs).manifest("hist-orders", runId).orElseThrow();
        long bytes = manifest.files().stream().mapToLong(Manifest.DataFile::bytes).sum();
        assertTrue(bytes > 0, "the dataset has bytes");
        RunSummary run = index.run("hist-orders", runId).orElseThrow();
        assertEquals(new RunSummary(runId, "hist-orders", "manual", RunState.COMMITTED, record.startedAt(), outcome.at(),
                5L, 3L, 2L, bytes, null, null, "landing/hist-orders/orders.csv", record.definitionHash(),
                Map.of("region", "emea"), null), run);
        assertEquals(run, index.runs(new RunIndex.Filter(null, null, null, null, 1000)).stream()
                .filter(r -> r.runId().equals(runId)).findFirst().orElseThrow(), "the all-pipelines row says the same");

        List<StageRow> rows = index.stages(runId);
        assertEquals(List.of("extract", "store", "transform-000000"),
                rows.stream().map(r -> RunLayout.stageKey(r.stage(), r.chunk())).toList());
        StageRow extract = stage(rows, Stage.EXTRACT, -1);
        StageRow transform = stage(rows, Stage.TRANSFORM, 0);
        StageRow store = stage(rows, Stage.STORE, -1);
        ChunkResult chunk = Json.read(blobs.read(RunLayout.RUNS, RunLayout.chunkResult(runId, 0)).orElseThrow()
                .content(), ChunkResult.class);
        assertEquals(List.of("succeeded", 1), List.of(extract.status().text(), extract.attempts()));
        assertEquals(List.of("succeeded", 5L, 3L, 2L, 1), List.of(transform.status().text(), transform.rowsIn(),
                transform.rowsOut(), transform.rowsRejected(), transform.attempts()));
        assertEquals(chunk.parts().stream().mapToLong(ChunkResult.Part::bytes).sum(), transform.bytes());
        assertEquals(List.of("succeeded", 5L, 3L, 2L, bytes, 1), List.of(store.status().text(), store.rowsIn(),
                store.rowsOut(), store.rowsRejected(), store.bytes(), store.attempts()));
        for (StageRow row : rows) {
            StageReport report = runs.reports(runId).stream().filter(r -> r.stage() == row.stage()
                    && r.chunk() == row.chunk()).findFirst().orElseThrow();
            assertEquals(List.of(report.startedAt(), report.finishedAt()), List.of(row.startedAt(), row.finishedAt()),
                    "the row's times are the report's");
            assertTrue(!row.finishedAt().isBefore(row.startedAt()));
        }

        RunQueries.RunDetail detail = new RunQueries(runs).run(runId).orElseThrow();
        assertEquals(run, detail.run());
        assertEquals(2, detail.rejectCount());
        assertEquals(2, detail.rejectSample().size());
        assertEquals(List.of(3, "units"), List.of(detail.rejectSample().get(0).get("line"),
                detail.rejectSample().get(0).get("column")), detail.rejectSample().toString());
        assertEquals(List.of(1, 1, 1), detail.stages().stream().map(StageRow::attempts).toList());
    }

    @Test
    void aRunThatFailedAndWasResumedCountsItsAttemptsAndEndsCommitted(@TempDir Path dir) throws Exception {
        RunStages stages = RunStages.on(runs, dir, definition("hist-lk", """
                {"op": "lookup", "from": "reference/hist-lk.csv", "on": ["shop_id"], "columns": {"region": "string"}}"""),
                name -> Optional.empty());
        BlobRef source = upload(dir, RunLayout.RUNS, "inputs/hist-lk.csv", "shop_id,units\nS1,2\nS2,4\n");
        RunId runId = stages.start(source, Map.of());

        RunOutcome failed = stages.runToEnd(runId);

        assertEquals(RunState.FAILED, failed.status());
        RunSummary failedRow = index.run("hist-lk", runId).orElseThrow();
        assertEquals(List.of("failed", "extract", failed.error(), failed.at()), List.of(failedRow.status().text(),
                failedRow.failedStage(), failedRow.error(), failedRow.endedAt()));
        assertTrue(failedRow.error().contains("reference/hist-lk.csv"), failedRow.error());
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(failedRow.rowsIn(), failedRow.rowsOut(),
                failedRow.rowsRejected(), failedRow.bytes()), "it failed before reading a row, and wrote none");
        StageRow extractFailed = stage(index.stages(runId), Stage.EXTRACT, -1);
        assertEquals(List.of("failed", 1, failed.error()), List.of(extractFailed.status().text(), extractFailed.attempts(),
                extractFailed.error()));
        assertEquals(List.of(runId), new RunQueries(runs).runs(new RunIndex.Filter("hist-lk", RunState.FAILED, null, null,
                10)).stream().map(RunSummary::runId).toList());

        upload(dir, "reference", "hist-lk.csv", "shop_id,region\nS1,north\nS2,south\n");
        // Resumed 300 ms after it failed (by the rerun's clock), once that much real time has passed.
        Thread.sleep(400);
        new Reruns(runs, stages.queue(), Clock.fixed(failed.at().plusMillis(300), java.time.ZoneOffset.UTC))
                .resume(runId);

        RunSummary resumed = index.run("hist-lk", runId).orElseThrow();
        assertEquals(List.of("running"), List.of(resumed.status().text()));
        assertNull(resumed.error());
        assertNull(resumed.endedAt());
        // The resumed extract only: delivering the start's message again would be one more attempt.
        stages.extract(runId, false);
        stages.transform().handle(stages.queue().last(io.tributary.run.TransformMessage.class), false);
        stages.store().handle(stages.queue().last(io.tributary.run.StoreMessage.class), false);
        RunOutcome committed = runs.outcome(runId).orElseThrow();
        assertEquals(RunState.COMMITTED, committed.status());
        RunSummary done = index.run("hist-lk", runId).orElseThrow();
        assertEquals(List.of("committed", 2L, 2L, 0L, committed.at()), List.of(done.status().text(), done.rowsIn(),
                done.rowsOut(), done.rowsRejected(), done.endedAt()));
        assertNull(done.error());
        assertNull(done.failedStage());
        // Its time is the time it worked; the wait before the rerun stands apart.
        assertEquals(300L, done.waitedMillis());
        assertEquals(java.time.Duration.between(done.startedAt(), done.endedAt()).minusMillis(300), done.workingTime());
        StageRow extract = stage(index.stages(runId), Stage.EXTRACT, -1);
        assertEquals(List.of("succeeded", 2), List.of(extract.status().text(), extract.attempts()),
                "the failed attempt and the resumed one");
        assertNull(extract.error());
    }

    private static RunId startAt(PipelineDefinition pipeline, String time) {
        RunId runId = RunId.forRequest(pipeline.name(), UUID.randomUUID().toString(), Instant.parse(time));
        new RunStarter(runs, new RunStages.RecordingQueue(), Clock.systemUTC()).start(pipeline, runId, null,
                "manual", Map.of());
        return runId;
    }

    private static List<RunId> query(String pipeline, String status, String since, String until, int limit) {
        return new RunQueries(runs).runs(new RunIndex.Filter(pipeline, status == null ? null : RunState.parse(status), since == null ? null
                : Instant.parse(since), until == null ? null : Instant.parse(until), limit)).stream()
                .map(RunSummary::runId).toList();
    }

    @Test
    void queriesFindRunsByPipelineStatusAndTimeNewestFirst() {
        PipelineDefinition a = definition("hist-qa", "");
        PipelineDefinition b = definition("hist-qb", "");
        RunId a1 = startAt(a, "2024-01-01T00:00:00Z");
        RunId a2 = startAt(a, "2024-01-02T00:00:00Z");
        RunId a3 = startAt(a, "2024-01-03T08:30:15Z");
        RunId b1 = startAt(b, "2024-01-02T12:00:00Z");
        runs.finish(a1, RunOutcome.committed(Instant.parse("2024-01-01T00:05:00Z")),
                new RunIndex.Totals(10, 9, 1, 1234));
        runs.finish(a2, RunOutcome.failed(Instant.parse("2024-01-02T00:01:00Z"), Stage.TRANSFORM, 2, "boom"));
        runs.finish(b1, RunOutcome.committed(Instant.parse("2024-01-02T12:03:00Z")));

        assertEquals(List.of(a3, a2, a1), query("hist-qa", null, null, null, 50));
        assertEquals(List.of(a3, a2), query("hist-qa", null, null, null, 2));
        assertEquals(List.of(a2), query("hist-qa", "failed", null, null, 50));
        assertEquals(List.of(a3), query("hist-qa", "running", null, null, 50));
        assertEquals(List.of(a1), query("hist-qa", "committed", null, null, 50));
        assertEquals(List.of(b1, a2), query(null, null, "2024-01-02T00:00:00Z", "2024-01-02T23:59:59Z", 50));
        assertEquals(List.of(b1), query(null, "committed", "2024-01-02T00:00:00Z", "2024-01-03T08:30:14Z", 50));
        assertEquals(List.of(a3), query("hist-qa", null, "2024-01-03T08:30:15Z", "2024-01-03T08:30:15Z", 50),
                "both ends are inclusive, to the second");
        assertEquals(List.of(), query("hist-qb", "failed", null, null, 50));
        RunSummary failed = index.run("hist-qa", a2).orElseThrow();
        assertEquals(List.of("failed", "transform chunk 2", "boom"), List.of(failed.status().text(), failed.failedStage(),
                failed.error()));
        RunSummary committed = index.run("hist-qa", a1).orElseThrow();
        assertEquals(List.of(10L, 9L, 1L, 1234L), List.of(committed.rowsIn(), committed.rowsOut(),
                committed.rowsRejected(), committed.bytes()));
    }

    @Test
    void aRunTheHistoryStillShowsRunningIsMendedFromItsOutcomeWhenRead() {
        PipelineDefinition pipeline = definition("hist-mend", "");
        RunId runId = startAt(pipeline, "2024-02-01T00:00:00Z");
        // The outcome blob is written, the history write after it is lost.
        RunOutcome outcome = RunOutcome.failed(Instant.parse("2024-02-01T00:02:00Z"), Stage.EXTRACT, -1, "lost write");
        blobs.createIfAbsent(RunLayout.RUNS, RunLayout.outcome(runId), Json.bytes(outcome));
        assertEquals(RunState.RUNNING, index.run("hist-mend", runId).orElseThrow().status());

        assertEquals(List.of(runId), query("hist-mend", "failed", null, null, 50),
                "found by the status it ended with, though its row still says running");
        assertEquals(List.of(), query("hist-mend", "running", null, null, 50), "it is not running");
        RunSummary mended = index.run("hist-mend", runId).orElseThrow();
        assertEquals(List.of("failed", "lost write", outcome.at()), List.of(mended.status().text(), mended.error(),
                mended.endedAt()));
        assertEquals(List.of(runId), query("hist-mend", "failed", null, null, 50));
    }

    @Test
    void deliveriesOfOnePieceAtTheSameMomentEachCountAnAttempt() throws Exception {
        RunId runId = RunId.forRequest("hist-race", UUID.randomUUID().toString(), Instant.parse("2024-03-01T00:00:00Z"));
        int deliveries = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(deliveries);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            Instant at = Instant.parse("2024-03-01T00:00:00Z").plusSeconds(i);
            done.add(pool.submit(() -> {
                go.await();
                index.stage(runId, StageReport.running(Stage.TRANSFORM, 3, at), null);
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> delivery : done) {
            delivery.get();
        }
        pool.shutdown();

        assertEquals(List.of(deliveries), index.stages(runId).stream().map(StageRow::attempts).toList(),
                "every delivery's attempt counted, none lost to another's write");
    }

    @Test
    void runsFromBeforeTheHistoryAreBackfilledFromTheirBlobs(@TempDir Path dir) throws Exception {
        RunStore withoutHistory = new RunStore(blobs, RunIndex.NONE);
        RunStages stages = RunStages.on(withoutHistory, dir, definition("hist-before", ""), name -> Optional.empty());
        BlobRef source = upload(dir, RunLayout.LANDING, "hist-before/orders.csv", "shop_id,units\nS1,2\nS2,x\nS3,4\n");
        RunId runId = stages.start(source, Map.of());
        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());
        assertTrue(index.run("hist-before", runId).isEmpty(), "made without a history");

        assertTrue(new HistoryBackfill(runs).fill() >= 1);

        RunSummary row = index.run("hist-before", runId).orElseThrow();
        assertEquals(List.of("committed", 3L, 2L, 1L), List.of(row.status().text(), row.rowsIn(), row.rowsOut(),
                row.rowsRejected()));
        assertEquals(List.of("extract", "store", "transform-000000"), index.stages(runId).stream()
                .map(r -> RunLayout.stageKey(r.stage(), r.chunk())).toList());
        assertEquals(List.of(1, 1, 1), index.stages(runId).stream().map(StageRow::attempts).toList());
        new HistoryBackfill(runs).fill();
        assertEquals(row, index.run("hist-before", runId).orElseThrow(), "a second backfill changes nothing");
        assertEquals(List.of(1, 1, 1), index.stages(runId).stream().map(StageRow::attempts).toList());
    }

    @Test
    void retentionRemovesTheRowsOfRunsOlderThanItsDaysAndNothingElse() {
        PipelineDefinition pipeline = definition("hist-old", "");
        RunId old = startAt(pipeline, "2020-01-01T00:00:00Z");
        RunId kept = startAt(pipeline, "2020-03-01T00:00:00Z");
        runs.report(old, StageReport.running(Stage.EXTRACT, -1, Instant.parse("2020-01-01T00:00:01Z")));
        runs.report(kept, StageReport.running(Stage.EXTRACT, -1, Instant.parse("2020-03-01T00:00:01Z")));
        Clock april = Clock.fixed(Instant.parse("2020-04-15T00:00:00Z"), ZoneOffset.UTC);

        HistoryRetention.Swept swept = new HistoryRetention(index, april, 90).sweep();

        assertEquals(new HistoryRetention.Swept(Instant.parse("2020-01-16T00:00:00Z"), 1), swept);
        assertEquals(Optional.empty(), index.run("hist-old", old));
        assertEquals(List.of(), index.stages(old), "its stage rows go too");
        assertEquals(List.of(kept), query("hist-old", null, null, null, 50));
        assertEquals(List.of(kept), query(null, null, "2020-01-01T00:00:00Z", "2020-12-31T00:00:00Z", 50),
                "the all-pipelines row goes too");
        assertEquals(1, index.stages(kept).size());
        assertNotNull(runs.record(old).orElse(null), "the run's blobs stay: they are the truth");
        assertEquals(0, new HistoryRetention(index, april, 90).sweep().runs(), "a second sweep finds nothing");
    }

    @Test
    void retentionDaysComeFromTheirSetting() {
        assertEquals(90, HistoryRetention.days(name -> Optional.empty()));
        assertEquals(30, HistoryRetention.days(name -> Optional.of(" 30 ")));
        IllegalStateException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> HistoryRetention.days(name -> Optional.of("0")));
        assertEquals("the app setting TRIBUTARY_HISTORY_RETENTION_DAYS must be a whole number of days, at least 1, "
                + "such as 90; it is '0'", zero.getMessage());
    }
}
