package io.tributary.stage;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.fetch.SourceException;
import io.tributary.history.RunHistory;
import io.tributary.local.SampleCrmApi;
import io.tributary.local.SamplePostgres;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.StageReport;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, point 7: every source failure fails its run with a clear, classified reason, through the real stages on
 * Azurite: an API that cannot be reached (after the fetch's own attempts, not delivered again), a database that
 * cannot be reached (tried again until the host's last delivery), credentials the
 * source refuses, a response that is not what the definition says, a dropped file in another format than declared
 * or a gzip that expands without end (a decompression bomb).
 * Each failed run has its outcome ("failed", the stage, the reason with its kind), and nothing committed: no
 * manifest, no latest pointer, no data under the pipeline's folder, no high-water mark.
 */
class SourceFailuresIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String TOKEN = "it-" + UUID.randomUUID();

    static BlobStore blobs;
    static SampleCrmApi crm;

    @BeforeAll
    static void start() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
        crm = SampleCrmApi.start(0, TOKEN, 20, 10);
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    private static PipelineDefinition definition(String text) {
        String name = text.replaceAll("(?s)^.*?\"name\": \"([^\"]+)\".*", "$1");
        var result = DefinitionReader.read(name + ".json", text, name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    /** An incremental REST pipeline on {@code %API_URL%}{@code path}, sending {@code %API_TOKEN%}, one attempt a page. */
    private static PipelineDefinition rest(String name, String path) {
        return rest(name, path, 1);
    }

    private static PipelineDefinition rest(String name, String path, int maxAttempts) {
        return definition("""
                {"schemaVersion": 1, "name": "%s",
                 "source": {"rest": {"url": "%%API_URL%%%s", "headers": {"Authorization": "Bearer %%API_TOKEN%%"},
                                     "records": "/data", "pagination": {"type": "nextLink", "path": "/links/next"},
                                     "maxAttempts": %d, "timeoutSeconds": 5},
                            "incremental": {"cursor": "updated_at"}},
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "name", "type": "string"},
                             {"name": "updated_at", "type": "timestamp", "timeZone": "UTC"}]}""".formatted(name, path, maxAttempts));
    }

    /** An incremental SQL pipeline on {@code %DB_URL%} as {@code %DB_USER%} / {@code %DB_PASSWORD%}. */
    private static PipelineDefinition sql(String name) {
        return definition("""
                {"schemaVersion": 1, "name": "%s",
                 "source": {"sql": {"url": "%%DB_URL%%", "user": "%%DB_USER%%", "password": "%%DB_PASSWORD%%",
                                    "query": "SELECT order_id, region, updated_at FROM orders"},
                            "incremental": {"cursor": "updated_at"}},
                 "columns": [{"name": "order_id", "type": "long", "nullable": false},
                             {"name": "region", "type": "string"},
                             {"name": "updated_at", "type": "timestamp", "timeZone": "UTC"}]}""".formatted(name));
    }

    private static RunStages stages(Path dir, PipelineDefinition pipeline, Map<String, String> settings) {
        return RunStages.on(blobs, dir, pipeline, name -> name.equals("TRIBUTARY_DEFINITION_SETTINGS")
                ? Optional.of("API_*,DB_*") : Optional.ofNullable(settings.get(name)));
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Checks that the run failed in {@code stage} with an error that starts with {@code prefix}, and committed
     * nothing; returns the error.
     */
    private static String failedWithNothingCommitted(RunStages stages, RunId runId, Stage stage, String prefix) {
        RunOutcome outcome = stages.runs().outcome(runId).orElseThrow(() -> new AssertionError("run " + runId
                + " has no outcome"));
        assertEquals(RunState.FAILED, outcome.status(), String.valueOf(outcome));
        assertEquals(stage, outcome.stage(), String.valueOf(outcome));
        assertTrue(outcome.error().startsWith(prefix), () -> "expected '" + prefix + "…', got: " + outcome.error());
        String pipeline = stages.pipeline().name();
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.manifest(pipeline, runId)),
                "no manifest");
        assertEquals(Optional.empty(), blobs.properties(RunLayout.TRAINING, RunLayout.latest(pipeline)),
                "no latest pointer");
        assertEquals(List.of(), blobs.list(RunLayout.TRAINING, RunLayout.datasetFolder(pipeline, runId)),
                "no data, no rejects");
        assertEquals(Optional.empty(), blobs.properties(RunLayout.STATE, RunLayout.watermark(pipeline)),
                "no high-water mark");
        RunHistory.RunStatus status = new RunHistory(stages.runs()).status(runId).orElseThrow();
        assertEquals(RunState.FAILED, status.state());
        assertEquals(Optional.empty(), status.manifest());
        StageReport failed = status.stages().stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
        assertEquals(outcome.error(), failed.error(), "the stage report says the same");
        assertEquals(List.of(), blobs.list(RunLayout.STATE, RunLayout.activePrefix(pipeline)),
                "the failed run no longer counts against the concurrency limit");
        return outcome.error();
    }

    // 1. A REST API that is down.

    @Test
    void anApiThatIsDownFailsTheRunAsUnreachableAfterItsOwnAttemptsWithoutAnotherDelivery(@TempDir Path dir)
            throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        RunStages stages = stages(dir, rest("api-down", "/contacts?updated_after={watermark}", 2),
                Map.of("API_URL", url, "API_TOKEN", TOKEN));
        RunId runId = stages.start(Map.of());

        stages.extract(runId, false);

        String error = failedWithNothingCommitted(stages, runId, Stage.EXTRACT, "unreachable: ");
        assertEquals("unreachable: GET " + url + "/contacts failed on each of 2 attempts: the connection was refused; "
                + "check that the API's address is right, that it is up and reachable from here", error,
                "the fetch backed off and tried maxAttempts times itself: the first delivery, not the last, fails "
                        + "the run, rather than calling the API maxAttempts times on each of maxDequeueCount "
                        + "deliveries");
    }

    // 2. Credentials the API refuses.

    @Test
    void aTokenTheApiRefusesFailsTheRunAtOnceNamingTheSetting(@TempDir Path dir) {
        String wrong = "wrong-" + UUID.randomUUID();
        RunStages stages = stages(dir, rest("api-token", "/contacts?updated_after={watermark}"),
                Map.of("API_URL", crm.baseUrl(), "API_TOKEN", wrong));
        RunId runId = stages.start(Map.of());

        stages.extract(runId, false);

        String error = failedWithNothingCommitted(stages, runId, Stage.EXTRACT, "credentials: HTTP 401 from GET "
                + crm.baseUrl() + "/contacts");
        assertTrue(error.contains("check the app settings it sends: API_TOKEN (header Authorization)"), error);
        assertFalse(error.contains(wrong), "the token is never shown: " + error);
    }

    // 3. A response that is not what the definition says.

    @Test
    void anEndpointThatAnswersHtmlOrAnObjectWithoutTheRecordsFailsTheRunAsMalformed(@TempDir Path dir)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/html", exchange -> answer(exchange, "text/html",
                "<!DOCTYPE html><html><body>Sign in</body></html>"));
        server.createContext("/object", exchange -> answer(exchange, "application/json",
                "{\"items\": [{\"id\": 1}], \"total\": 1}"));
        server.start();
        try {
            Map<String, String> settings = Map.of("API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "API_TOKEN", TOKEN);

            RunStages html = stages(dir.resolve("html"), rest("api-html", "/html"), settings);
            RunId htmlRun = html.start(Map.of());
            html.extract(htmlRun, false);
            String error = failedWithNothingCommitted(html, htmlRun, Stage.EXTRACT, "malformed response: page 1 (GET "
                    + settings.get("API_URL") + "/html) is not JSON (Content-Type: text/html): ");
            assertTrue(error.endsWith("; check that the url is the API's JSON endpoint"), error);

            RunStages object = stages(dir.resolve("object"), rest("api-object", "/object"), settings);
            RunId objectRun = object.start(Map.of());
            object.extract(objectRun, false);
            assertEquals("malformed response: page 1 (GET " + settings.get("API_URL") + "/object) has nothing at "
                            + "/data, where source.rest.records says its array of records is; the body's top-level "
                            + "fields are items, total",
                    failedWithNothingCommitted(object, objectRun, Stage.EXTRACT, "malformed response: "));
        } finally {
            server.stop(0);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // 4. A database that cannot be reached, or refuses the login.

    @Test
    void aDatabaseThatCannotBeReachedIsTriedAgainUntilTheLastAttemptThenFailsTheRunAsUnreachable(@TempDir Path dir)
            throws Exception {
        int port = closedPort();
        RunStages stages = stages(dir, sql("db-down"), Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:" + port
                + "/postgres?connectTimeout=5", "DB_USER", "tributary", "DB_PASSWORD", "not-shown"));
        RunId runId = stages.start(Map.of());

        SourceException first = assertThrows(SourceException.class, () -> stages.extract(runId, false),
                "the SQL fetch does not retry a connection itself: the message goes back to the host, to be "
                        + "delivered again");
        assertEquals(SourceException.Kind.UNREACHABLE, first.kind());
        assertTrue(first.retryable());
        assertEquals(Optional.empty(), stages.runs().outcome(runId), "the run goes on: it has no outcome yet");
        assertEquals(RunState.RUNNING, new RunHistory(stages.runs()).status(runId).orElseThrow().state());

        stages.extract(runId, true);

        String error = failedWithNothingCommitted(stages, runId, Stage.EXTRACT, "unreachable: cannot reach the database "
                + "at jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=5 (SQLState 08001: ");
        assertTrue(error.endsWith("check the host and port in source.sql.url, that the database is running, and that "
                + "a firewall lets the app in"), error);
    }

    @Test
    void aPasswordTheDatabaseRefusesFailsTheRunAtOnceNamingTheSettingsNotThePassword(@TempDir Path dir) {
        String wrong = "wrong-" + UUID.randomUUID();
        try (SamplePostgres db = SamplePostgres.start(0, 10)) {
            RunStages stages = stages(dir, sql("db-login"), Map.of("DB_URL", db.jdbcUrl(), "DB_USER", db.user(),
                    "DB_PASSWORD", wrong));
            RunId runId = stages.start(Map.of());

            stages.extract(runId, false);

            String error = failedWithNothingCommitted(stages, runId, Stage.EXTRACT, "credentials: the database at "
                    + db.jdbcUrl() + " refused the login (SQLState 28P01: ");
            assertTrue(error.endsWith("; check the app settings DB_USER and DB_PASSWORD (local.settings.json Values, "
                    + "or the app's settings in Azure)"), error);
            assertFalse(error.contains(wrong), "the password is never shown: " + error);
            assertFalse(error.contains(db.password()), error);
        }
    }

    // 5. A dropped file in another format than declared.

    private static BlobRef land(Path dir, String name, byte[] content) throws IOException {
        Path file = dir.resolve("upload-" + UUID.randomUUID());
        Files.write(file, content);
        blobs.upload(RunLayout.LANDING, name, file);
        return new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow().etag());
    }

    /** Runs a file-drop pipeline over {@code content}, landed as {@code name}, to its end. */
    private static RunStages runOver(Path dir, PipelineDefinition pipeline, String name, byte[] content)
            throws IOException {
        RunStages stages = stages(dir, pipeline, Map.of());
        RunId runId = stages.start(land(dir, name, content), Map.of());
        assertEquals(RunState.FAILED, stages.runToEnd(runId).status());
        return stages;
    }

    private static RunId onlyRun(RunStages stages) {
        return stages.queue().sent().get(0).runId();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aCsvPipelineGivenATruncatedGzipFailsTheRunAsWrongFormat(@TempDir Path dir) throws Exception {
        PipelineDefinition csv = definition("""
                {"schemaVersion": 1, "name": "gz-csv", "trigger": {"type": "fileDrop", "path": "gz/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}""");
        StringBuilder text = new StringBuilder("id,email\n");
        for (int i = 0; i < 2000; i++) {
            text.append(i).append(",contact").append(i).append("@example.com\n");
        }
        byte[] whole = gzip(text.toString());
        RunStages stages = runOver(dir, csv, "gz/contacts.csv", Arrays.copyOf(whole, whole.length / 2));

        failedWithNothingCommitted(stages, onlyRun(stages), Stage.TRANSFORM, "wrong format: the source starts with "
                + "gzip's magic bytes (1f 8b) but does not decompress (");
    }

    @Test
    void aDecompressionBombFailsTheRunAsWrongFormatBeforeItFillsTheDisk(@TempDir Path dir) throws Exception {
        PipelineDefinition csv = definition("""
                {"schemaVersion": 1, "name": "bomb-csv", "trigger": {"type": "fileDrop", "path": "bomb/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}""");
        // 10 GiB of zeros in some 10 MiB: 160 gzip members of 64 MiB of zeros each.
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(member, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        for (int i = 0; i < 160; i++) {
            member.writeTo(bomb);
        }
        RunStages stages = runOver(dir, csv, "bomb/contacts.csv", bomb.toByteArray());

        // A gzip of 10 MiB may hold more than one chunk: extract decodes it, and stops at the limit.
        failedWithNothingCommitted(stages, onlyRun(stages), Stage.EXTRACT, "wrong format: landing/bomb/contacts.csv: the "
                + "gzip expands beyond 1.0 GiB, more than 100 times its compressed size (");
        try (var left = Files.list(dir.resolve("work"))) {
            assertEquals(List.of(), left.toList(), "the work dir holds nothing of it");
        }
    }

    @Test
    void aGzipThatDecodesBeyondTheSetLimitFailsItsRunWhateverItsCompressedSize(@TempDir Path dir) throws Exception {
        PipelineDefinition csv = definition("""
                {"schemaVersion": 1, "name": "decoded-limit", "trigger": {"type": "fileDrop", "path": "big/*.csv"},
                 "source": {"format": "csv"}, "chunkSize": "4KB",
                 "columns": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}""");
        // Random text hardly compresses: a hundred times its compressed size is far beyond what it decodes to.
        java.util.Random random = new java.util.Random(11);
        StringBuilder text = new StringBuilder("id,email\n");
        for (int i = 0; i < 20_000; i++) {
            text.append(i).append(',').append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36)).append("@x.io\n");
        }
        byte[] gzipped = gzip(text.toString());
        assertTrue(gzipped.length * 100L > 1_000_000, gzipped.length + " bytes");
        RunStages stages = RunStages.on(new RunStore(blobs), dir, csv, name -> Optional.empty(),
                new EngineLimits("512MB", 1, EngineLimits.MAX_DECOMPRESSED_BYTES, 100_000, EngineLimits.MAX_SPILL_BYTES));
        RunId runId = stages.start(land(dir, "big/contacts.csv", gzipped), Map.of());
        assertEquals(RunState.FAILED, stages.runToEnd(runId).status());

        assertEquals("landing/big/contacts.csv: the source decodes to more than 97.7 KiB, the most the app setting "
                + "TRIBUTARY_MAX_DECODED_BYTES (100000) lets a decoded source take on the work dir's disk, so decoding "
                + "stopped there and what it wrote is deleted; split the source into smaller files, or raise "
                + "TRIBUTARY_MAX_DECODED_BYTES above its decoded size if the work dir's disk holds that much",
                failedWithNothingCommitted(stages, runId, Stage.EXTRACT, "landing/big/contacts.csv: "));
        assertEquals(List.of(), blobs.list(RunLayout.RUNS, runId + "/source/"), "no decoded source in the run's folder");
        try (var left = Files.list(dir.resolve("work"))) {
            assertEquals(List.of(), left.toList(), "the work dir holds nothing of it");
        }
    }

    @Test
    void aParquetPipelineGivenACsvFileFailsTheRunAsWrongFormat(@TempDir Path dir) throws Exception {
        PipelineDefinition parquet = definition("""
                {"schemaVersion": 1, "name": "pq", "trigger": {"type": "fileDrop", "path": "pq/*"},
                 "source": {"format": "parquet"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "score", "type": "double"}]}""");
        RunStages stages = runOver(dir, parquet, "pq/scores.parquet",
                "id,score\n1,0.5\n2,0.25\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("wrong format: the source cannot be read as Parquet: Invalid Input Error: No magic bytes found "
                        + "at end of file; check the file, or the source's \"format\"",
                failedWithNothingCommitted(stages, onlyRun(stages), Stage.TRANSFORM, "wrong format: "),
                "without the private work path DuckDB names");
    }

    @Test
    void aParquetPipelineThatInfersItsColumnsGivenACsvFileFailsTheRunInExtractAsWrongFormat(@TempDir Path dir)
            throws Exception {
        PipelineDefinition parquet = definition("""
                {"schemaVersion": 1, "name": "pq-inferred", "trigger": {"type": "fileDrop", "path": "pqi/*"},
                 "source": {"format": "parquet"}}""");
        RunStages stages = runOver(dir, parquet, "pqi/scores.parquet",
                "id,score\n1,0.5\n2,0.25\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("wrong format: the source cannot be read as Parquet: Invalid Input Error: No magic bytes found "
                        + "at end of file; check the file, or the source's \"format\"",
                failedWithNothingCommitted(stages, onlyRun(stages), Stage.EXTRACT, "wrong format: "),
                "classified as a declared-columns run is, without the private work path");
    }

    @Test
    void aJsonPipelineThatInfersItsColumnsGivenCsvFailsTheRunInExtractAsWrongFormat(@TempDir Path dir)
            throws Exception {
        PipelineDefinition json = definition("""
                {"schemaVersion": 1, "name": "json-inferred", "trigger": {"type": "fileDrop", "path": "ji/*"},
                 "source": {"format": "json"}}""");
        RunStages stages = runOver(dir, json, "ji/export.json", "id,score\n1,0.5\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("wrong format: the source cannot be read as a JSON array: Invalid Input Error: Expected "
                        + "top-level JSON array with format='array', but first character is 'i'; check the file, or "
                        + "the source's \"format\"",
                failedWithNothingCommitted(stages, onlyRun(stages), Stage.EXTRACT, "wrong format: "));
    }

    @Test
    void aCsvPipelineGivenAParquetFileFailsTheRunAsWrongFormat(@TempDir Path dir) throws Exception {
        PipelineDefinition csv = definition("""
                {"schemaVersion": 1, "name": "csv-got-pq", "trigger": {"type": "fileDrop", "path": "cp/*"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "score", "type": "double"}]}""");
        Path file = dir.resolve("scores.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES (1::BIGINT, 0.5), (2, 0.25)) t(id, score)) TO '" + file
                    + "' (FORMAT parquet)");
        }
        RunStages stages = runOver(dir, csv, "cp/scores.csv", Files.readAllBytes(file));

        assertEquals("wrong format: the source is a Parquet file (it starts with the bytes \"PAR1\"), but the "
                        + "definition declares \"format\": \"csv\"; set \"format\": \"parquet\", or drop the csv "
                        + "file instead",
                failedWithNothingCommitted(stages, onlyRun(stages), Stage.TRANSFORM, "wrong format: "));
    }

    @Test
    void aJsonPipelineGivenADocumentWithoutItsRecordsPathFailsTheRunAsWrongFormat(@TempDir Path dir)
            throws Exception {
        PipelineDefinition json = definition("""
                {"schemaVersion": 1, "name": "json-items", "trigger": {"type": "fileDrop", "path": "js/*.json"},
                 "source": {"format": "json", "recordsPath": "/data/items"},
                 "columns": [{"name": "id", "type": "long"}]}""");
        RunStages stages = runOver(dir, json, "js/export.json",
                "{\"data\": {\"rows\": [{\"id\": 1}]}}".getBytes(StandardCharsets.UTF_8));

        assertEquals("wrong format: the source has no /data/items: /data is an object without 'items'; set "
                        + "\"recordsPath\" to the JSON Pointer of the array of records",
                failedWithNothingCommitted(stages, onlyRun(stages), Stage.TRANSFORM, "wrong format: "));
    }

    @Test
    void aJsonPipelineGivenCsvFailsTheRunAsWrongFormat(@TempDir Path dir) throws Exception {
        PipelineDefinition json = definition("""
                {"schemaVersion": 1, "name": "json-csv", "trigger": {"type": "fileDrop", "path": "jc/*"},
                 "source": {"format": "json", "recordsPath": "/items"},
                 "columns": [{"name": "id", "type": "long"}]}""");
        RunStages stages = runOver(dir, json, "jc/export.json", "id\n1\n2\n".getBytes(StandardCharsets.UTF_8));

        failedWithNothingCommitted(stages, onlyRun(stages), Stage.TRANSFORM,
                "wrong format: the source cannot be read as a JSON document: ");
    }
}
