package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.port.StageRow;
import io.tributary.run.ChunkResult;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.StageReport;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.testing.CrashingBlobStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of a chunk's attempts ({@link ChunkAttempts}, which the combine stage's key buckets share, and
 * {@link TransformStage}) on the in-memory ports with the real engine: a chunk delivered twice, or again after its
 * invocation died right after one of its writes, is recorded once, reported once as succeeded, and hands the run on
 * once. {@code ExactlyOnceIT} and {@code StagesIT} hold the same rules against Azurite, for every crash point.
 */
class ChunkAttemptRulesTest {

    private static final String EVENTS = """
            {"schemaVersion": 1, "name": "events", "trigger": {"type": "fileDrop", "path": "events/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "kind", "type": "string"}],
             "steps": [{"op": "filter", "where": "kind <> 'noise'"}]}""";

    /** Four rows in, two out (one is noise), one rejected (an id that is not a number). */
    private static final String CSV = "id,kind\n1,click\n2,noise\n3,view\nx,view\n";

    @TempDir
    Path work;

    private InMemoryStages stages;

    /** The run's only chunk, its run started and extracted. */
    private TransformMessage extracted() {
        stages = new InMemoryStages(EVENTS, work);
        stages.deliver(stages.drop("events/a.csv", CSV));
        List<TransformMessage> chunks = stages.sent(TransformMessage.class);
        assertEquals(1, chunks.size());
        return chunks.get(0);
    }

    private List<String> dataset(TransformMessage chunk) {
        return stages.blobs.list(RunLayout.TRAINING, RunLayout.datasetFolder("events", chunk.runId()));
    }

    private StageReport report(TransformMessage chunk) {
        return Json.read(stages.blobs.read(RunLayout.RUNS, RunLayout.stageReport(chunk.runId(), Stage.TRANSFORM, 0))
                .orElseThrow().content(), StageReport.class);
    }

    private StageRow row(TransformMessage chunk) {
        return stages.index.stages(chunk.runId()).stream().filter(r -> r.stage() == Stage.TRANSFORM).findFirst()
                .orElseThrow();
    }

    private String recorded(TransformMessage chunk) {
        return stages.blobs.properties(RunLayout.RUNS, RunLayout.chunkResult(chunk.runId(), 0)).orElseThrow().etag();
    }

    @Test
    void aChunkDeliveredTwiceIsTransformedOnceReportsOnceAndHandsTheRunToStoreOnce() {
        TransformMessage chunk = extracted();
        stages.deliver(chunk);
        String etag = recorded(chunk);
        List<String> parts = dataset(chunk);

        stages.deliver(chunk);

        assertEquals(etag, recorded(chunk), "the first result stands");
        assertEquals(parts, dataset(chunk));
        assertEquals(List.of("events/" + chunk.runId() + "/_rejects/part-00000.jsonl",
                "events/" + chunk.runId() + "/data/part-00000.parquet"), parts.stream().sorted().toList());
        assertEquals(List.of(StageStatus.SUCCEEDED, 4L, 2L, 1L), List.of(report(chunk).status(), report(chunk).rowsIn(),
                report(chunk).rowsOut(), report(chunk).rowsRejected()));
        assertEquals(1, row(chunk).attempts(), "the second delivery found it done and started no attempt");
        assertEquals(List.of(new StoreMessage(chunk.runId(), "events", 1)), stages.sent(StoreMessage.class));
    }

    @Test
    void aChunkWhoseInvocationDiedAfterUploadingAPartIsDoneAgainInPlaceAndCountsTwoAttempts() {
        TransformMessage chunk = extracted();
        CrashingBlobStore dies = new CrashingBlobStore(stages.blobs, "upload", RunLayout.TRAINING + "/.*\\.parquet");
        assertThrows(CrashingBlobStore.Crash.class, () -> stages.deliver(chunk, dies));
        assertEquals(StageStatus.RUNNING, report(chunk).status());
        assertEquals(List.of(), stages.sent(StoreMessage.class));

        stages.deliver(chunk);

        assertEquals(List.of("events/" + chunk.runId() + "/_rejects/part-00000.jsonl",
                "events/" + chunk.runId() + "/data/part-00000.parquet"), dataset(chunk).stream().sorted().toList(),
                "the part written again under its own name, no second part");
        ChunkResult result = Json.read(stages.blobs.read(RunLayout.RUNS, RunLayout.chunkResult(chunk.runId(), 0))
                .orElseThrow().content(), ChunkResult.class);
        assertEquals(List.of(4L, 2L, 1L), List.of(result.rowsIn(), result.rowsOut(), result.rowsRejected()));
        assertEquals(List.of(StageStatus.SUCCEEDED, 2), List.of(row(chunk).status(), row(chunk).attempts()));
        assertEquals(1, stages.sent(StoreMessage.class).size());
    }

    @Test
    void aChunkWhoseInvocationDiedAfterRecordingItIsNotDoneAgainAndItsReportSaysSucceeded() {
        TransformMessage chunk = extracted();
        CrashingBlobStore dies = new CrashingBlobStore(stages.blobs, "createIfAbsent",
                RunLayout.RUNS + "/" + RunLayout.chunkResult(chunk.runId(), 0));
        assertThrows(CrashingBlobStore.Crash.class, () -> stages.deliver(chunk, dies));
        String etag = recorded(chunk);
        assertEquals(StageStatus.RUNNING, report(chunk).status(), "it died before its report said so");

        stages.deliver(chunk);

        assertEquals(etag, recorded(chunk));
        assertEquals(List.of(StageStatus.SUCCEEDED, 4L, 2L, 1L), List.of(report(chunk).status(), report(chunk).rowsIn(),
                report(chunk).rowsOut(), report(chunk).rowsRejected()));
        assertEquals(1, row(chunk).attempts(), "the redelivery found it done: no second attempt");
        assertEquals(List.of(new StoreMessage(chunk.runId(), "events", 1)), stages.sent(StoreMessage.class));
    }

    @Test
    void aChunkWhoseInvocationDiedAfterTheStoreClaimHasTheRedeliverySendStoreOnce() {
        TransformMessage chunk = extracted();
        CrashingBlobStore dies = new CrashingBlobStore(stages.blobs, "createIfAbsent",
                RunLayout.RUNS + "/" + RunLayout.storeClaim(chunk.runId()));
        assertThrows(CrashingBlobStore.Crash.class, () -> stages.deliver(chunk, dies));
        assertEquals(List.of(), stages.sent(StoreMessage.class), "the winner died before sending");

        stages.deliver(chunk);
        stages.deliver(chunk);

        assertEquals(List.of(new StoreMessage(chunk.runId(), "events", 1)), stages.sent(StoreMessage.class));
    }
}
