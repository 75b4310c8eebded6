package io.tributary.stage;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.RunHistory;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
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

    /**
     * The lines of the records {@link #csv} gives a bad amount, numbered as records (a note over two lines is one
     * line), the header being line 1.
     */
    private static List<Long> badLines() {
        List<Long> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (i % 97 == 13) {
                lines.add(i + 2L);
            }
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
        List<Map<String, Object>> rows = new ArrayList<>(ParquetRows.ofDataset(
                AZURITE.clients().blobs().getBlobContainerClient(RunLayout.TRAINING), manifest, dir));
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
        RunId cutRun = cut.start(land(dir, "chunked-csv/orders.csv", source), Map.of());
        RunId oneRun = one.start(land(dir, "whole-csv/orders.csv", source), Map.of());

        assertEquals(RunState.COMMITTED, cut.runToEnd(cutRun).status());
        assertEquals(RunState.COMMITTED, one.runToEnd(oneRun).status());

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

    /**
     * A gzip file and a JSON document are decoded once by extract and cut like plain text: the same rows, splits and
     * rejected lines as one chunk of the same text, every chunk smaller than the chunk size, and rejects that name
     * the file as it was dropped.
     */
    @Test
    void aGzipCsvAndAJsonDocumentAreCutIntoChunksAsPlainTextIs(@TempDir Path dir) throws Exception {
        String source = csv();
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write(source.getBytes(StandardCharsets.UTF_8));
        }
        PipelineDefinition chunked = pipeline("chunked-gzip", "csv", "4KB", "");
        PipelineDefinition whole = pipeline("whole-plain", "csv", "1GB", "");
        RunStages cut = RunStages.on(blobs, dir, chunked, name -> Optional.empty());
        RunStages one = RunStages.on(blobs, dir, whole, name -> Optional.empty());
        Path file = Files.write(dir.resolve("orders.csv.gz"), gzipped.toByteArray());
        blobs.upload(RunLayout.LANDING, "chunked-gzip/orders.csv.gz", file);
        BlobRef dropped = new BlobRef(RunLayout.LANDING, "chunked-gzip/orders.csv.gz",
                blobs.properties(RunLayout.LANDING, "chunked-gzip/orders.csv.gz").orElseThrow().etag());
        RunId cutRun = cut.start(dropped, Map.of());
        RunId oneRun = one.start(land(dir, "whole-plain/orders.csv", source), Map.of());

        assertEquals(RunState.COMMITTED, cut.runToEnd(cutRun).status());
        assertEquals(RunState.COMMITTED, one.runToEnd(oneRun).status());

        List<TransformMessage> chunks = cut.queue().sent().stream().filter(TransformMessage.class::isInstance)
                .map(TransformMessage.class::cast).toList();
        assertTrue(chunks.size() >= 10, "a 56 KB source (" + gzipped.size() + " bytes gzipped) in 4 KB chunks: "
                + chunks.size() + " chunks");
        assertTrue(chunks.stream().allMatch(c -> RunLayout.isDecoded(c.source())), "chunks of the decoded source");
        Manifest cutManifest = new RunHistory(cut.runs()).manifest(chunked.name(), cutRun).orElseThrow();
        Manifest oneManifest = new RunHistory(one.runs()).manifest(whole.name(), oneRun).orElseThrow();
        assertEquals(oneManifest.rows(), cutManifest.rows());
        assertEquals(oneManifest.splits(), cutManifest.splits());
        assertEquals(rows(oneManifest, dir), rows(cutManifest, dir));
        assertEquals(badLines(), rejectedLines(cutManifest), "rejects name their line in the decompressed source");
        assertEquals(dropped, cutManifest.source(), "the dataset's source is the file as it was dropped");
        String folder = RunLayout.datasetFolder(cutManifest.pipeline(), cutManifest.runId());
        String firstRejects = new String(blobs.read(RunLayout.TRAINING, folder + cutManifest.rejects().get(0))
                .orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(firstRejects.startsWith("{\"source\":\"landing/chunked-gzip/orders.csv.gz\","), firstRejects);

        StringBuilder array = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 2000; i++) {
            array.append(i == 0 ? "" : ",").append("\n  {\"id\": ").append(i).append(", \"amount\": ")
                    .append(i % 101 == 7 ? "\"lots\"" : String.valueOf(i)).append("}");
        }
        array.append("]}");
        var document = DefinitionReader.read("chunked-json.json", """
                {"schemaVersion": 1, "name": "chunked-json", "trigger": {"type": "fileDrop", "path": "chunked-json/*"},
                 "source": {"format": "json", "recordsPath": "/data"}, "chunkSize": "4KB",
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "amount", "type": "double"}]}""",
                "chunked-json").definition().orElseThrow();
        RunStages json = RunStages.on(blobs, dir, document, name -> Optional.empty());
        RunId jsonRun = json.start(land(dir, "chunked-json/events.json", array.toString()), Map.of());

        assertEquals(RunState.COMMITTED, json.runToEnd(jsonRun).status());
        assertTrue(json.queue().sent().stream().filter(TransformMessage.class::isInstance).count() >= 5);
        Manifest jsonManifest = new RunHistory(json.runs()).manifest(document.name(), jsonRun).orElseThrow();
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (i % 101 == 7) {
                positions.add(i + 1L);
            }
        }
        assertEquals(new Manifest.Rows(2000, 2000 - positions.size(), positions.size()), jsonManifest.rows());
        assertEquals(positions, rejectedLines(jsonManifest), "a record's position in the array");
    }

    /** A Parquet file larger than a chunk is cut into parts, its rows in order: rejects name their row in the file. */
    @Test
    void aLargeParquetFileIsCutIntoPartsAndRejectsKeepTheirRowNumbers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("readings.parquet");
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement s = db.createStatement()) {
            s.execute("COPY (SELECT range AS id, CASE WHEN range % 997 = 5 THEN 'n/a' ELSE (range % 1000)::VARCHAR END "
                    + "AS amount, 'note ' || range AS note FROM range(400000)) TO '" + file + "' (FORMAT parquet)");
        }
        PipelineDefinition pipeline = pipeline("chunked-parquet", "parquet", "1MB",
                "{\"expect\": \"unique\", \"column\": \"id\", \"onFailure\": \"warn\"}, "
                + "{\"expect\": \"between\", \"column\": \"amount\", \"max\": 998, \"onFailure\": \"drop\"}");
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        blobs.upload(RunLayout.LANDING, "chunked-parquet/readings.parquet", file);
        RunId runId = stages.start(new BlobRef(RunLayout.LANDING, "chunked-parquet/readings.parquet",
                blobs.properties(RunLayout.LANDING, "chunked-parquet/readings.parquet").orElseThrow().etag()), Map.of());

        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());

        List<TransformMessage> chunks = stages.queue().sent().stream().filter(TransformMessage.class::isInstance)
                .map(TransformMessage.class::cast).toList();
        assertTrue(chunks.size() >= 3, "a Parquet file of 400,000 rows in 1 MB parts: " + chunks.size());
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 400000; i++) {
            if (i % 997 == 5) {
                expected.add(i + 1);
            }
        }
        // And the rows with amount 999 (every thousandth) are dropped by the expectation, in their key buckets.
        List<Long> dropped = new ArrayList<>();
        for (long i = 999; i < 400000; i += 1000) {
            if (i % 997 != 5) {
                dropped.add(i + 1);
            }
        }
        Manifest manifest = new RunHistory(stages.runs()).manifest(pipeline.name(), runId).orElseThrow();
        assertEquals(new Manifest.Rows(400000, 400000 - expected.size() - dropped.size(), expected.size()
                + dropped.size()), manifest.rows());
        List<Long> all = new ArrayList<>(expected);
        all.addAll(dropped);
        all.sort(Comparator.naturalOrder());
        assertEquals(all, rejectedLines(manifest), "each reject's row number in the whole file");
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        String last = manifest.rejects().stream().filter(r -> r.startsWith("_rejects/bucket-"))
                .map(r -> new String(blobs.read(RunLayout.TRAINING, folder + r).orElseThrow().content(),
                        StandardCharsets.UTF_8)).flatMap(String::lines).filter(l -> l.contains("\"line\":400000,"))
                .findFirst().orElseThrow();
        assertTrue(last.contains("\"text\":\"{\\\"id\\\":399999,\\\"amount\\\":\\\"999\\\",\\\"note\\\":\\\"note 399999\\\"}\""),
                "a row dropped in its bucket shows its row as the file holds it: " + last);
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
        RunId runId = stages.start(land(dir, "chunked-jsonl/events.jsonl", text.toString()), Map.of());

        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());

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
        RunId okRun = ok.start(land(dir, "row-count-ok/orders.csv", source), Map.of());
        RunId lowRun = low.start(land(dir, "row-count-low/orders.csv", source), Map.of());

        assertEquals(RunState.COMMITTED, ok.runToEnd(okRun).status(), "each chunk has far fewer than 2,900 rows; the run has "
                + "more");
        var failed = low.runToEnd(lowRun);
        assertEquals(RunState.FAILED, failed.status());
        assertEquals(Stage.STORE, failed.stage());
        assertEquals("expectation 'rowCount' failed: " + (3000 - badLines().size()) + " rows, expected at least 3000",
                failed.error());
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.manifest(tooFew.name(), lowRun)));
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.latest(tooFew.name())));
    }

    /** A pipeline over {@link #csv} with {@code steps} and {@code expectations}, cut into 4 KB chunks or not. */
    private static PipelineDefinition keyed(String name, String chunkSize, String steps, String expectations) {
        var result = DefinitionReader.read(name + ".json", """
                {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*"},
                 "source": {"format": "csv"}, "chunkSize": "%s",
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "amount", "type": "double"},
                             {"name": "note", "type": "string"}],
                 "steps": [%s], "expectations": [%s]}""".formatted(name, name, chunkSize, steps, expectations), name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    /** Runs {@code source} through {@code chunked} and {@code whole}; asserts both commit the same rows; returns them. */
    private static Manifest sameAsOneChunk(Path dir, PipelineDefinition chunked, PipelineDefinition whole,
                                           String source, String sortKey) throws Exception {
        RunStages cut = RunStages.on(blobs, dir, chunked, name -> Optional.empty());
        RunStages one = RunStages.on(blobs, dir, whole, name -> Optional.empty());
        RunId cutRun = cut.start(land(dir, chunked.name() + "/in.csv", source), Map.of());
        RunId oneRun = one.start(land(dir, whole.name() + "/in.csv", source), Map.of());
        assertEquals(RunState.COMMITTED, cut.runToEnd(cutRun).status(), () -> String.valueOf(cut.runs().outcome(cutRun)));
        assertEquals(RunState.COMMITTED, one.runToEnd(oneRun).status());
        assertTrue(cut.queue().sent().stream().filter(TransformMessage.class::isInstance).count() >= 10);
        Manifest cutManifest = new RunHistory(cut.runs()).manifest(chunked.name(), cutRun).orElseThrow();
        Manifest oneManifest = new RunHistory(one.runs()).manifest(whole.name(), oneRun).orElseThrow();
        assertEquals(oneManifest.rows(), cutManifest.rows());
        assertEquals(oneManifest.expectations(), cutManifest.expectations());
        Comparator<Map<String, Object>> order = Comparator.comparing(r -> String.valueOf(r.get(sortKey)));
        List<Map<String, Object>> cutRows = new ArrayList<>(rows(cutManifest, dir));
        List<Map<String, Object>> oneRows = new ArrayList<>(rows(oneManifest, dir));
        cutRows.sort(order);
        oneRows.sort(order);
        assertEquals(oneRows, cutRows);
        return cutManifest;
    }

    /** Rows with ids repeating across the whole file: id = i % 700, so each id's rows lie in many chunks. */
    private static String repeatedIds() {
        StringBuilder text = new StringBuilder("id,amount,note\n");
        for (int i = 0; i < 3000; i++) {
            text.append(i % 700).append(',').append(i).append(",n").append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void dedupeSeesEveryRowOfAKeyAcrossChunks(@TempDir Path dir) throws Exception {
        String dedupe = "{\"op\": \"dedupe\", \"keys\": [\"id\"], \"orderBy\": [\"amount\"], \"keep\": \"last\"}";
        Manifest manifest = sameAsOneChunk(dir, keyed("dedupe-cut", "4KB", dedupe, ""),
                keyed("dedupe-whole", "1GB", dedupe, ""), repeatedIds(), "id");

        assertEquals(new Manifest.Rows(3000, 700, 0), manifest.rows());
        long distinctIds = manifest.statistics().stream().filter(c -> c.name().equals("id")).findFirst().orElseThrow()
                .distinct();
        assertTrue(Math.abs(distinctIds - 700) <= 35, "the key buckets' distinct estimates of the routing key add up "
                + "to about 700: " + distinctIds);
        assertEquals(List.of(), blobs.list(RunLayout.RUNS, RunLayout.routedPrefix(manifest.runId())),
                "the routed rows are deleted once the run commits");
        List<Map<String, Object>> rows = rows(manifest, dir);
        // The last by amount of id 5 is row 2805 (5 + 4 * 700).
        assertEquals(2805.0, rows.stream().filter(r -> r.get("id").equals(5L)).findFirst().orElseThrow().get("amount"));
    }

    @Test
    void aggregateAndUniqueSeeEveryRowOfAKeyAcrossChunks(@TempDir Path dir) throws Exception {
        String aggregate = "{\"op\": \"aggregate\", \"groupBy\": [\"id\"], \"measures\": {\"total\": "
                + "{\"sum\": \"amount\"}, \"n\": {\"count\": \"*\"}}}";
        String unique = "{\"expect\": \"unique\", \"column\": \"id\", \"onFailure\": \"fail\"}";
        Manifest manifest = sameAsOneChunk(dir, keyed("aggregate-cut", "4KB", aggregate, unique),
                keyed("aggregate-whole", "1GB", aggregate, unique), repeatedIds(), "id");

        assertEquals(700, manifest.rows().out());
        Map<String, Object> five = rows(manifest, dir).stream().filter(r -> r.get("id").equals(5L)).findFirst()
                .orElseThrow();
        assertEquals(5.0 + 705 + 1405 + 2105 + 2805, ((Number) five.get("total")).doubleValue());
        assertEquals(5L, ((Number) five.get("n")).longValue());
    }

    @Test
    void aUniqueExpectationCountsDuplicatesFromDifferentChunks(@TempDir Path dir) throws Exception {
        String unique = "{\"expect\": \"unique\", \"column\": \"id\", \"onFailure\": \"warn\"}";
        String positive = "{\"expect\": \"between\", \"column\": \"amount\", \"min\": 1, \"onFailure\": \"drop\"}";
        String input = repeatedIds() + "5000,1,once\n7000,0.5,\"late,\nand quoted\"\n";
        Manifest manifest = sameAsOneChunk(dir, keyed("unique-cut", "4KB", "", unique + ", " + positive),
                keyed("unique-whole", "1GB", "", unique + ", " + positive), input, "amount");

        assertEquals(new Manifest.Rows(3002, 3000, 2), manifest.rows(), "amounts 0 and 0.5 are dropped");
        assertEquals(3000, manifest.expectations().get(0).failed(), "every row but ids 5000's and 7000's shares its id "
                + "with rows in other chunks");
        List<String> bucketRejects = manifest.rejects().stream().filter(r -> r.startsWith("_rejects/bucket-")).toList();
        assertTrue(!bucketRejects.isEmpty(), "the dropped rows are in their key buckets' rejects: " + manifest.rejects());
        // Dropped away from their chunks (the first and the last), the rows still name their line in the source and
        // their records as written.
        List<String> texts = new ArrayList<>();
        for (String part : bucketRejects) {
            String rejects = new String(blobs.read(RunLayout.TRAINING, RunLayout.datasetFolder(manifest.pipeline(),
                    manifest.runId()) + part).orElseThrow().content(), StandardCharsets.UTF_8);
            for (String line : rejects.lines().toList()) {
                JsonNode reject = new ObjectMapper().readTree(line);
                assertEquals("EXPECTATION", reject.get("error").asText(), reject.toString());
                texts.add(reject.get("line").asLong() + ": " + reject.get("text").asText());
            }
        }
        texts.sort(Comparator.naturalOrder());
        assertEquals(List.of("2: 0,0,n0", "3003: 7000,0.5,\"late,\nand quoted\""), texts);
    }

    @Test
    void aSqlStepRunsOnEveryRowOfTheRunInOneBucket(@TempDir Path dir) throws Exception {
        String sql = "{\"op\": \"filter\", \"where\": \"amount >= 0\"}, {\"op\": \"sql\", \"query\": "
                + "\"SELECT id, amount, amount / sum(amount) OVER () AS share FROM input\"}";
        Manifest manifest = sameAsOneChunk(dir, keyed("sql-cut", "4KB", sql, ""), keyed("sql-whole", "1GB", sql, ""),
                repeatedIds(), "amount");

        double shares = rows(manifest, dir).stream().mapToDouble(r -> ((Number) r.get("share")).doubleValue()).sum();
        assertEquals(1.0, shares, 1e-9, "the window saw every row of the run");
    }
}
