package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.ParquetRows;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, point 1: extract cuts a large source into chunks at record boundaries, one transform message each; the
 * chunks are transformed apart, and exactly one store commits them. The dataset, its counts and its rejects (with
 * their lines in the whole source) are those of the same source read as one chunk.
 */
class ChunkedRunsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    @BeforeAll
    static void start() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
    }

    private static PipelineDefinition pipeline(String name, String format, String chunkSize, String expectations) {
        var result = DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*"},
                 "source": {"format": "%s"}, "chunkSize": "%s",
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "amount", "type": "double"},
                             {"name": "note", "type": "string"}],
                 "steps": [{"op": "derive", "columns": {"big": "amount > 500"}}],
                 "expectations": [%s],
                 "split": {"keys": ["id"], "seed": 7, "fractions": {"train": 0.8, "test": 0.2}}}"""
                .formatted(name, name, format, chunkSize, expectations), name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    /** 3,000 CSV records, about 60 KB: every 97th amount is not a number; every 50th note is quoted over two lines. */
    private static String csv() {
        StringBuilder text = new StringBuilder("id,amount,note\n");
        for (int i = 0; i < 3000; i++) {
            text.append(i).append(',').append(i % 97 == 13 ? "n/a" : String.valueOf(i % 1000)).append(',')
                    .append(i % 50 == 0 ? "\"line one,\nline two\"" : "note " + i).append('\n');
        }
        return text.toString();
    }

    /** The source lines of the records {@link #csv} gives a bad amount: a two-line note pushes later lines down. */
    private static List<Long> badLines() {
        List<Long> lines = new ArrayList<>();
        long line = 2;
        for (int i = 0; i < 3000; i++) {
            if (i % 97 == 13) {
                lines.add(line);
            }
            line += i % 50 == 0 ? 2 : 1;
        }
        return lines;
    }

    private static BlobRef land(Path dir, String name, String content) throws Exception {
        Path file = Files.writeString(dir.resolve("upload-" + UUID.randomUUID()), content);
        blobs.upload(RunLayout.LANDING, name, file);
        return new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow().etag());
    }

    /** The run's committed rows, ordered by id. */
    private static List<Map<String, Object>> rows(Manifest manifest, Path dir) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        for (Manifest.DataFile file : manifest.files()) {
            Path local = dir.resolve("part-" + UUID.randomUUID() + ".parquet");
            blobs.download(new BlobRef(RunLayout.TRAINING, folder + file.path(), null), local);
            rows.addAll(ParquetRows.read(local));
        }
        rows.sort(Comparator.comparing(r -> (Long) r.get("id")));
        return rows;
    }

    /** The lines of the run's rejects, over all its chunks. */
    private static List<Long> rejectedLines(Manifest manifest) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        List<Long> lines = new ArrayList<>();
        for (String part : manifest.rejects()) {
            String text = new String(blobs.read(RunLayout.TRAINING, folder + part).orElseThrow().content(),
                    StandardCharsets.UTF_8);
            for (String line : text.lines().toList()) {
                JsonNode reject = json.readTree(line);
                lines.add(reject.get("line").asLong());
            }
        }
        lines.sort(Comparator.naturalOrder());
        return lines;
    }

    @Test
    void aCsvCutIntoChunksCommitsOnceWhatOneChunkWould(@TempDir Path dir) throws Exception {
        String source = csv();
        PipelineDefinition chunked = pipeline("chunked-csv", "csv", "4KB", "");
        PipelineDefinition whole = pipeline("whole-csv", "csv", "1GB", "");
        RunStages cut = RunStages.on(blobs, dir, chunked, name -> Optional.empty());
        RunStages one = RunStages.on(blobs, dir, whole, name -> Optional.empty());
        String cutRun = cut.start(land(dir, "chunked-csv/orders.csv", source), Map.of());
        String oneRun = one.start(land(dir, "whole-csv/orders.csv", source), Map.of());

        assertEquals("committed", cut.runToEnd(cutRun).status());
        assertEquals("committed", one.runToEnd(oneRun).status());

        List<TransformMessage> chunks = cut.queue().sent().stream().filter(TransformMessage.class::isInstance)
                .map(TransformMessage.class::cast).toList();
        assertTrue(chunks.size() >= 10, "a 56 KB source in 4 KB chunks: " + chunks.size() + " chunks");
        assertEquals(source.length(), chunks.stream().mapToLong(TransformMessage::length).sum(),
                "the chunks cover the source, each byte once");
        assertEquals(1, cut.queue().sent().stream().filter(StoreMessage.class::isInstance).count(), "one store");
        Manifest cutManifest = new RunHistory(cut.runs()).manifest(chunked.name(), cutRun).orElseThrow();
        Manifest oneManifest = new RunHistory(one.runs()).manifest(whole.name(), oneRun).orElseThrow();
        assertEquals(new Manifest.Rows(3000, 3000 - badLines().size(), badLines().size()), cutManifest.rows());
        assertEquals(oneManifest.rows(), cutManifest.rows());
        assertEquals(oneManifest.splits(), cutManifest.splits());
        assertEquals(rows(oneManifest, dir), rows(cutManifest, dir));
        assertEquals(badLines(), rejectedLines(cutManifest), "rejects name their line in the whole source");
        assertEquals(badLines(), rejectedLines(oneManifest));
    }

    @Test
    void jsonLinesAreCutTooAndRejectsKeepTheirLines(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(i % 101 == 7 ? "{\"id\": " + i + ", \"amount\": \"lots\"}" : "{\"id\": " + i + ", \"amount\": "
                    + i + ", \"note\": \"n" + i + "\"}").append('\n');
        }
        PipelineDefinition pipeline = pipeline("chunked-jsonl", "jsonl", "2KB", "");
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        String runId = stages.start(land(dir, "chunked-jsonl/events.jsonl", text.toString()), Map.of());

        assertEquals("committed", stages.runToEnd(runId).status());

        Manifest manifest = new RunHistory(stages.runs()).manifest(pipeline.name(), runId).orElseThrow();
        assertTrue(manifest.rejects().size() > 5, "rejects from several chunks: " + manifest.rejects());
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (i % 101 == 7) {
                expected.add(i + 1L);
            }
        }
        assertEquals(new Manifest.Rows(2000, 2000 - expected.size(), expected.size()), manifest.rows());
        assertEquals(expected, rejectedLines(manifest));
        assertEquals(2000 - expected.size(), rows(manifest, dir).stream().map(r -> r.get("id")).distinct().count());
    }

    @Test
    void aRowCountIsJudgedOnTheWholeRunNotOnEachChunk(@TempDir Path dir) throws Exception {
        String source = csv();
        PipelineDefinition enough = pipeline("row-count-ok", "csv", "4KB",
                "{\"expect\": \"rowCount\", \"min\": 2900}");
        PipelineDefinition tooFew = pipeline("row-count-low", "csv", "4KB",
                "{\"expect\": \"rowCount\", \"min\": 3000}");
        RunStages ok = RunStages.on(blobs, dir, enough, name -> Optional.empty());
        RunStages low = RunStages.on(blobs, dir, tooFew, name -> Optional.empty());
        String okRun = ok.start(land(dir, "row-count-ok/orders.csv", source), Map.of());
        String lowRun = low.start(land(dir, "row-count-low/orders.csv", source), Map.of());

        assertEquals("committed", ok.runToEnd(okRun).status(), "each chunk has far fewer than 2,900 rows; the run has "
                + "more");
        var failed = low.runToEnd(lowRun);
        assertEquals("failed", failed.status());
        assertEquals("store", failed.stage());
        assertEquals("expectation 'rowCount' failed: " + (3000 - badLines().size()) + " rows, expected at least 3000",
                failed.error());
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.manifest(tooFew.name(), lowRun)));
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.latest(tooFew.name())));
    }
}
