package io.tributary.stage;

import io.tributary.definition.output.SplitName;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.RunHistory;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.Rerun;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageMessage;
import io.tributary.run.StageReport;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.Reruns;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Reruns} on Azurite with the real stages and recorded hand-offs: resume, start over, refusals. */
class RerunsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    @BeforeAll
    static void connect() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
        AZURITE.clients().createContainer("reference");
    }

    private static PipelineDefinition definition(String name, String steps) {
        return DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "source": {"format": "csv"},
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}],
                 "steps": [%s]}""".formatted(name, steps), name).definition().orElseThrow();
    }

    private static BlobRef upload(Path dir, String container, String name, String content) throws Exception {
        Path file = dir.resolve("upload-" + name.replace('/', '-'));
        Files.writeString(file, content);
        blobs.upload(container, name, file);
        return new BlobRef(container, name, blobs.properties(container, name).orElseThrow().etag());
    }

    private static long sent(RunStages stages, Class<? extends StageMessage> type, RunId runId) {
        return stages.queue().sent().stream().filter(m -> type.isInstance(m) && m.runId().equals(runId)).count();
    }

    @Test
    void aRunThatFailedAtExtractResumesOnceHoweverOftenAskedAndCommits(@TempDir Path dir) throws Exception {
        RunStages stages = RunStages.on(blobs, dir, definition("lk", """
                {"op": "lookup", "from": "reference/reruns-lk.csv", "on": ["shop_id"], "columns": {"region": "string"}}"""),
                name -> Optional.empty());
        BlobRef source = upload(dir, RunLayout.RUNS, "inputs/reruns-lk.csv", "shop_id,units\nS1,2\nS2,4\n");
        RunId runId = stages.start(source, Map.of());
        RunOutcome failed = stages.runToEnd(runId);
        assertEquals(List.of("failed", "extract", -1), List.of(failed.status().text(), failed.stage().text(), failed.chunk()));
        upload(dir, "reference", "reruns-lk.csv", "shop_id,region\nS1,north\nS2,south\n");
        Reruns reruns = new Reruns(stages.runs(), stages.queue(), Clock.systemUTC());

        Reruns.Started started = reruns.resume(runId);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> reruns.resume(runId));
        IllegalStateException overToo = assertThrows(IllegalStateException.class, () -> reruns.fromStart(runId));

        assertEquals(new Reruns.Started(Rerun.RESUME, runId, Stage.EXTRACT, List.of(), 0, 0, true, failed), started);
        assertEquals("run " + runId + " is still in flight (resumed): only a failed run can be rerun; 'tributary "
                + "status " + runId + "' follows it", twice.getMessage());
        assertEquals(twice.getMessage(), overToo.getMessage());
        assertEquals(2, sent(stages, ExtractMessage.class, runId), "the start's and the one rerun's");
        assertEquals(Optional.empty(), stages.runs().outcome(runId), "the failed outcome is cleared");
        assertEquals(List.of(new Rerun(Rerun.RESUME, runId, reruns.of(runId).get(0).at(), failed)), reruns.of(runId));
        RunOutcome committed = stages.runToEnd(runId);
        assertEquals(RunState.COMMITTED, committed.status());
        Manifest manifest = new RunHistory(stages.runs()).manifest("lk", runId).orElseThrow();
        assertEquals(2, manifest.rows().out());
        IllegalStateException done = assertThrows(IllegalStateException.class, () -> reruns.resume(runId));
        assertEquals("already committed: run " + runId + " of lk committed at " + committed.at() + "; its dataset is "
                + "training/lk/" + runId + "/", done.getMessage());
        assertThrows(IllegalStateException.class, () -> reruns.fromStart(runId));
    }

    /** Runs extract and transform, then fails the store's last attempt: its definition snapshot does not read. */
    private static RunId failAtStore(RunStages stages, Path dir, String input) throws Exception {
        BlobRef source = upload(dir, RunLayout.RUNS, "inputs/" + input, "shop_id,units\nS1,2\nS2,4\nS3,6\n");
        RunId runId = stages.start(source, Map.of());
        stages.extract(runId, false);
        stages.transform().handle(stages.queue().last(TransformMessage.class), false);
        blobs.put(RunLayout.RUNS, RunLayout.definition(runId), "{".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> stages.store().handle(stages.queue().last(StoreMessage.class),
                true));
        return runId;
    }

    @Test
    void resumingAfterAFailedStoreReusesTheChunkDoneAndSendsOnlyStore(@TempDir Path dir) throws Exception {
        RunStages stages = RunStages.on(blobs, dir, definition("at-store", ""), name -> Optional.empty());
        RunId runId = failAtStore(stages, dir, "at-store.csv");
        RunOutcome failed = stages.runs().outcome(runId).orElseThrow();
        assertEquals(List.of("failed", "store", -1), List.of(failed.status().text(), failed.stage().text(), failed.chunk()));
        assertTrue(failed.error().startsWith("the definition snapshot of run " + runId),
                failed.error());
        String chunkEtag = blobs.properties(RunLayout.RUNS, RunLayout.chunkResult(runId, 0)).orElseThrow().etag();
        StageReport transformed = Json.read(blobs.read(RunLayout.RUNS, RunLayout.stageReport(runId, Stage.TRANSFORM, 0))
                .orElseThrow().content(), StageReport.class);
        // The fix: the snapshot is readable again.
        blobs.put(RunLayout.RUNS, RunLayout.definition(runId),
                stages.pipeline().text().getBytes(StandardCharsets.UTF_8));
        long transformsBefore = sent(stages, TransformMessage.class, runId);

        Reruns.Started started = new Reruns(stages.runs(), stages.queue(), Clock.systemUTC()).resume(runId);

        assertEquals(new Reruns.Started(Rerun.RESUME, runId, Stage.STORE, List.of(), 1, 1, true, failed), started);
        assertEquals(new StoreMessage(runId, "at-store", 1), stages.queue().last(StoreMessage.class));
        assertEquals(transformsBefore, sent(stages, TransformMessage.class, runId), "no chunk is transformed again");
        stages.store().handle(stages.queue().last(StoreMessage.class), false);
        assertEquals(RunState.COMMITTED, stages.runs().outcome(runId).orElseThrow().status());
        assertEquals(chunkEtag, blobs.properties(RunLayout.RUNS, RunLayout.chunkResult(runId, 0)).orElseThrow().etag());
        assertEquals(transformed, Json.read(blobs.read(RunLayout.RUNS, RunLayout.stageReport(runId, Stage.TRANSFORM, 0))
                .orElseThrow().content(), StageReport.class));
        Manifest manifest = new RunHistory(stages.runs()).manifest("at-store", runId).orElseThrow();
        assertEquals(3, manifest.rows().out());
        assertEquals(List.of(new Manifest.DataFile("data/part-00000.parquet", SplitName.NONE, 3,
                manifest.files().get(0).bytes())), manifest.files());
    }

    @Test
    void fromTheStartIsANewRunOverTheSameSourceThatReusesNothing(@TempDir Path dir) throws Exception {
        RunStages stages = RunStages.on(blobs, dir, definition("over", ""), name -> Optional.empty());
        RunId runId = failAtStore(stages, dir, "over.csv");
        blobs.put(RunLayout.RUNS, RunLayout.definition(runId),
                stages.pipeline().text().getBytes(StandardCharsets.UTF_8));
        RunRecord old = stages.runs().record(runId).orElseThrow();
        Reruns reruns = new Reruns(stages.runs(), stages.queue(), Clock.systemUTC());

        Reruns.Started started = reruns.fromStart(runId);
        Reruns.Started again = reruns.fromStart(runId);
        IllegalStateException resume = assertThrows(IllegalStateException.class, () -> reruns.resume(runId));

        RunId newRunId = started.runId();
        assertNotEquals(runId, newRunId);
        assertTrue(started.isNew());
        assertEquals(newRunId, again.runId());
        assertFalse(again.isNew());
        assertEquals("run " + runId + " was rerun from the start as " + newRunId + "; it cannot be resumed as well "
                + "(both could commit): rerun " + newRunId + " instead", resume.getMessage());
        RunRecord record = stages.runs().record(newRunId).orElseThrow();
        assertEquals(List.of("rerun", runId, "over"), List.of(record.trigger(), record.rerunOf(), record.pipeline()));
        assertEquals(old.source(), record.source());
        assertEquals(old.definitionHash(), record.definitionHash());
        assertEquals(List.of(), blobs.list(RunLayout.RUNS, RunLayout.chunksPrefix(newRunId)), "no chunk reused");
        assertEquals(1, sent(stages, ExtractMessage.class, newRunId), "started once");

        assertEquals(RunState.COMMITTED, stages.runToEnd(newRunId).status());
        ChunkResult chunk = Json.read(blobs.read(RunLayout.RUNS, RunLayout.chunkResult(newRunId, 0)).orElseThrow()
                .content(), ChunkResult.class);
        assertEquals(List.of("over/" + newRunId + "/data/part-00000.parquet"),
                chunk.parts().stream().map(ChunkResult.Part::blob).toList(), "its own parts, not the failed run's");
        Manifest manifest = new RunHistory(stages.runs()).manifest("over", newRunId).orElseThrow();
        assertEquals(List.of(3L, old.source()), List.of(manifest.rows().out(), manifest.source()));
        assertEquals(RunState.FAILED, stages.runs().outcome(runId).orElseThrow().status(), "the failed run stays failed");
        assertEquals(Optional.empty(), new RunHistory(stages.runs()).manifest("over", runId));
    }

    @Test
    void aRunThatFailedInOneKeyBucketResumesThatBucketAloneAndCommitsWhatAnUndisturbedRunWould(@TempDir Path dir)
            throws Exception {
        String steps = "{\"op\": \"aggregate\", \"groupBy\": [\"shop_id\"], \"measures\": {\"units\": "
                + "{\"sum\": \"units\"}}}";
        PipelineDefinition definition = DefinitionReader.read("keyed.json", """
                {"schemaVersion": 1, "name": "keyed", "source": {"format": "csv"}, "chunkSize": "1KB",
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}],
                 "steps": [%s]}""".formatted(steps), "keyed").definition().orElseThrow();
        StringBuilder csv = new StringBuilder("shop_id,units\n");
        for (int i = 0; i < 600; i++) {
            csv.append("S").append(i % 40).append(',').append(i).append('\n');
        }
        RunStages stages = RunStages.on(blobs, dir, definition, name -> Optional.empty());
        RunId runId = stages.start(upload(dir, RunLayout.RUNS, "inputs/keyed.csv", csv.toString()), Map.of());
        stages.extract(runId, false);
        List<TransformMessage> chunks = stages.queue().sent().stream().filter(TransformMessage.class::isInstance)
                .map(TransformMessage.class::cast).toList();
        assertTrue(chunks.size() > 2, chunks.size() + " chunks");
        chunks.forEach(chunk -> stages.transform().handle(chunk, false));
        List<io.tributary.run.CombineMessage> buckets = stages.queue().sent().stream()
                .filter(io.tributary.run.CombineMessage.class::isInstance).map(io.tributary.run.CombineMessage.class::cast)
                .toList();
        assertEquals(chunks.size(), buckets.size(), "one key bucket per chunk");
        stages.combine().handle(buckets.get(0), false);
        // Bucket 1 fails for good on its last attempt.
        StageReport report = StageReport.running(Stage.COMBINE, 1, java.time.Instant.now());
        stages.runs().attemptFailed(runId, report, "the worker ran out of disk", true, java.time.Instant.now());
        RunOutcome failed = stages.runs().outcome(runId).orElseThrow();
        assertEquals("combine key bucket 1", failed.place());

        Reruns.Started started = new Reruns(stages.runs(), stages.queue(), Clock.systemUTC()).resume(runId);

        List<Integer> rest = java.util.stream.IntStream.range(1, buckets.size()).boxed().toList();
        assertEquals(new Reruns.Started(Rerun.RESUME, runId, Stage.COMBINE, rest, 1, buckets.size(), true, failed), started);
        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());
        Manifest manifest = new RunHistory(stages.runs()).manifest("keyed", runId).orElseThrow();
        assertEquals(new Manifest.Rows(600, 40, 0), manifest.rows());
        assertEquals(1, sent(stages, StoreMessage.class, runId), "one store");
        assertEquals(buckets.size() + rest.size(), sent(stages, io.tributary.run.CombineMessage.class, runId),
                "bucket 0 was not combined again");
    }
}
