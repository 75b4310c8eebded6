package io.tributary.stage;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.RunHistory;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, point 6: a run whose rejected rows are more than its pipeline's {@code maxRejectedFraction} of the rows
 * read fails in store, at once and for good, and commits nothing: no manifest, no latest pointer, no data files; its
 * rejects stay readable where the failure says. A run within the limit commits as before.
 */
class RejectedFractionIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    @BeforeAll
    static void start() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
    }

    private static PipelineDefinition pipeline(String name, String maxRejectedFraction) {
        var result = DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "amount", "type": "double"}],
                 "maxRejectedFraction": %s}""".formatted(name, name, maxRejectedFraction), name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    /** 1,000 rows, 312 of them with an amount that is not a number. */
    private static byte[] orders() {
        StringBuilder text = new StringBuilder("id,amount\n");
        for (int i = 0; i < 1000; i++) {
            text.append(i).append(',').append(i % 1000 < 312 ? "n/a" : String.valueOf(i)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static BlobRef land(Path dir, String name, byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("upload-" + UUID.randomUUID()), content);
        blobs.upload(RunLayout.LANDING, name, file);
        return new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow().etag());
    }

    @Test
    void aRunThatRejectsMoreThanTheLimitFailsInStoreCommittingNothingAndKeepsItsRejects(@TempDir Path dir)
            throws Exception {
        PipelineDefinition pipeline = pipeline("too-many-rejects", "0.1");
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        RunId runId = stages.start(land(dir, "too-many-rejects/orders.csv", orders()), Map.of());

        RunOutcome outcome = stages.runToEnd(runId);

        String folder = RunLayout.datasetFolder(pipeline.name(), runId);
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.STORE, outcome.stage());
        assertEquals("too many rejects: 312 of 1,000 rows (31.2%) were rejected, more than maxRejectedFraction 0.1; "
                + "the rejects are in training/" + folder + "_rejects/ — fix the source or raise the limit",
                outcome.error());
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.manifest(pipeline.name(), runId)),
                "no manifest");
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.latest(pipeline.name())),
                "no latest pointer");
        assertEquals(List.of(RunLayout.rejectsPart(pipeline.name(), runId, 0)),
                blobs.list(RunLayout.TRAINING, folder), "the data files are gone, the rejects stay");
        List<String> lines = new String(blobs.read(RunLayout.TRAINING, RunLayout.rejectsPart(pipeline.name(), runId, 0))
                .orElseThrow().content(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(312, lines.size());
        assertTrue(lines.get(0).startsWith("{\"source\":\"landing/too-many-rejects/orders.csv\",\"line\":2,"
                + "\"column\":\"amount\""), lines.get(0));
        StageReport store = new RunHistory(stages.runs()).status(runId).orElseThrow().stages().stream()
                .filter(s -> s.stage() == Stage.STORE).findFirst().orElseThrow();
        assertEquals(outcome.error(), store.error());
        assertEquals(List.of(), blobs.list(RunLayout.STATE, RunLayout.activePrefix(pipeline.name())),
                "the failed run no longer holds its pipeline");
    }

    @Test
    void aRunWithinTheLimitCommitsItsRowsAndItsRejects(@TempDir Path dir) throws Exception {
        PipelineDefinition pipeline = pipeline("some-rejects", "0.312");
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        RunId runId = stages.start(land(dir, "some-rejects/orders.csv", orders()), Map.of());

        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status(), "312 of 1,000 is not more than 0.312");
        Manifest manifest = new RunHistory(stages.runs()).manifest(pipeline.name(), runId).orElseThrow();
        assertEquals(new Manifest.Rows(1000, 688, 312), manifest.rows());
        assertEquals(List.of("_rejects/part-00000.jsonl"), manifest.rejects());
    }
}
