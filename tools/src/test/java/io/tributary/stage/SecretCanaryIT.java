package io.tributary.stage;

import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.alert.WebhookSender;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.fetch.Sleeper;
import io.tributary.history.RunJson;
import io.tributary.history.RunQueries;
import io.tributary.history.StoredLineage;
import io.tributary.lineage.LineageBuilder;
import io.tributary.lineage.LineageGraph;
import io.tributary.lineage.LineageText;
import io.tributary.local.SamplePostgres;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.settings.Settings;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.TableRunIndex;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import io.tributary.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never leave: sources whose servers echo canary secrets wherever they can (error bodies, response
 * headers, next-page links, records that are rejected, a database's driver messages) run through the real stages on
 * Azurite; then every surface is searched for the canaries: each blob under the run's folder (stage reports, outcome,
 * fetch record, spool, alert claims), the dataset's folder (manifest, rejects), the run history table as the HTTP
 * API shows it, the lineage, the webhook's alerts and every line Tributary's loggers wrote. None may hold a canary,
 * and the mask must show where each would have been.
 */
class SecretCanaryIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String TOKEN = "canary-token-" + UUID.randomUUID();
    private static final String KEY = "canary-key-" + UUID.randomUUID();
    private static final String URL_PASSWORD = "canary-urlpw-" + UUID.randomUUID();
    private static final String DB_PASSWORD = "canary-dbpw-" + UUID.randomUUID();
    private static final String DB_USER = "canary_dbuser_" + UUID.randomUUID().toString().replace("-", "");
    private static final String URL_USER = "canary-user";
    /** Every canary, and the forms a server may echo them in: URL-encoded, and as basic credentials. */
    private static final List<String> CANARIES = List.of(TOKEN, KEY, URL_PASSWORD, DB_PASSWORD, DB_USER,
            Base64.getEncoder().encodeToString((URL_USER + ":" + URL_PASSWORD).getBytes(StandardCharsets.UTF_8)));

    static BlobStore blobs;
    static RunStore runs;
    static HttpServer echo;
    static String base;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(record.getLevel() + " " + record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws IOException {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
        echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Fails with everything it was sent: the URL with its query, the Authorization header, in body and headers.
        echo.createContext("/fail", exchange -> send(exchange, 400, "{\"error\": \"bad request\", \"echo\": {"
                + "\"url\": \"" + exchange.getRequestURI() + "\", \"authorization\": \""
                + exchange.getRequestHeaders().getFirst("Authorization") + "\"}}"));
        // Two pages: the first links to the second with the key in its query (Link header), and both echo the
        // token in a response header; a record of each does not parse, so it is rejected.
        echo.createContext("/ok", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            boolean second = query.contains("page=2");
            if (!second) {
                exchange.getResponseHeaders().set("Link", "</ok?" + query + "&page=2>; rel=\"next\"");
            }
            exchange.getResponseHeaders().set("X-Echo", exchange.getRequestHeaders().getFirst("Authorization"));
            send(exchange, 200, "{\"data\": [{\"id\": " + (second ? 3 : 1) + ", \"name\": \"fine\"}, "
                    + "{\"id\": \"not a number\", \"name\": \"dirty\"}]}");
        });
        // One page whose second record echoes the request (the URL with its key, the bearer token).
        echo.createContext("/record", exchange -> {
            String echoed = (exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"))
                    .replace("\"", "'");
            send(exchange, 200, "{\"data\": [{\"id\": 1, \"name\": \"fine\"}, "
                    + "{\"id\": 2, \"name\": \"" + echoed + "\"}]}");
        });
        echo.start();
        base = "http://" + URL_USER + ":" + URL_PASSWORD + "@127.0.0.1:" + echo.getAddress().getPort();
        Settings.overlay(Map.of("CANARY_API_URL", base, "CANARY_API_TOKEN", TOKEN, "CANARY_API_KEY", KEY,
                "CANARY_DB_USER", DB_USER, "CANARY_DB_PASSWORD", DB_PASSWORD));
        runs = new RunStore(blobs, Alerts.OFF, new TableRunIndex(AZURITE.clients()));
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("io.tributary").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("io.tributary").removeHandler(CAPTURE);
        if (echo != null) {
            echo.stop(0);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static PipelineDefinition definition(String name, String text) {
        var result = DefinitionReader.read(name + ".json", text, name);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    private static PipelineDefinition rest(String name, String path) {
        return definition(name, """
                {"schemaVersion": 1, "name": "%s",
                 "source": {"rest": {"url": "%%CANARY_API_URL%%%s?api_key=%%CANARY_API_KEY%%",
                                     "headers": {"Authorization": "Bearer %%CANARY_API_TOKEN%%"},
                                     "records": "/data", "pagination": {"type": "linkHeader"},
                                     "maxAttempts": 1, "timeoutSeconds": 5}},
                 "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
                 "maxRejectedFraction": 0.9, "alerts": {"rejectedFraction": 0.01}}""".formatted(name, path));
    }

    private static RunStages stages(Path dir, PipelineDefinition pipeline, WebhookReceiver receiver) {
        Sleeper noWait = duration -> { };
        Alerts alerts = new Alerts(blobs, new WebhookSender(URI.create(receiver.url()), 1, WebhookSender.BACKOFF,
                noWait, Clock.systemUTC()), Clock.systemUTC());
        return RunStages.on(new RunStore(blobs, alerts, runs.index()), dir, pipeline, Settings::get);
    }

    /** Every text a run shows anywhere, each named by where it was found. */
    private static Map<String, String> surfaces(RunStages stages, RunId runId, WebhookReceiver receiver)
            throws IOException {
        Map<String, String> found = new java.util.LinkedHashMap<>();
        String pipeline = stages.pipeline().name();
        for (String name : blobs.list(RunLayout.RUNS, runId + "/")) {
            found.put(RunLayout.RUNS + "/" + name, name + " " + text(RunLayout.RUNS, name));
        }
        for (String name : blobs.list(RunLayout.TRAINING, RunLayout.datasetFolder(pipeline, runId))) {
            found.put(RunLayout.TRAINING + "/" + name, name + " " + text(RunLayout.TRAINING, name));
        }
        RunQueries queries = new RunQueries(stages.runs());
        found.put("GET /api/runs/" + runId, Json.MAPPER.writeValueAsString(RunJson.detail(
                queries.run(runId).orElseThrow())));
        found.put("GET /api/runs?pipeline=" + pipeline, Json.MAPPER.writeValueAsString(RunJson.list(
                queries.runs(new RunIndex.Filter(pipeline, null, null, null, 10)))));
        if (stages.runs().outcome(runId).orElseThrow().status() == RunState.COMMITTED) {
            LineageGraph graph = new LineageBuilder(new StoredLineage(stages.runs(),
                    () -> PipelineCatalog.of(List.of(stages.pipeline())))).build(pipeline, Optional.of(runId));
            found.put("lineage (JSON)", Json.MAPPER.writeValueAsString(graph));
            found.put("lineage (text)", LineageText.text(graph));
        }
        List<String> alerts = new ArrayList<>();
        receiver.received().forEach(r -> alerts.add(r.path() + " " + r.body()));
        found.put("alerts", String.join("\n", alerts));
        found.put("log", String.join("\n", LOG));
        return found;
    }

    private static String text(String container, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blobs.read(container, name).ifPresent(v -> out.writeBytes(v.content()));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertNoCanary(Map<String, String> surfaces) {
        List<String> leaks = new ArrayList<>();
        surfaces.forEach((where, text) -> {
            for (String canary : CANARIES) {
                for (String form : List.of(canary, java.net.URLEncoder.encode(canary, StandardCharsets.UTF_8))) {
                    if (text.contains(form)) {
                        int at = text.indexOf(form);
                        leaks.add(where + ": …" + text.substring(Math.max(0, at - 80), Math.min(text.length(),
                                at + form.length() + 20)) + "…");
                    }
                }
            }
        });
        assertEquals(List.of(), leaks, "canaries found");
    }

    @Test
    void anApiThatEchoesTheRequestInItsErrorLeavesNoSecretInStatusHistoryApiLogsOrAlerts(@TempDir Path dir)
            throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            RunStages stages = stages(dir, rest("canary-fail", "/fail"), receiver);
            RunId runId = stages.start(Map.of());

            assertEquals(RunState.FAILED, stages.runToEnd(runId).status());

            Map<String, String> surfaces = surfaces(stages, runId, receiver);
            assertNoCanary(surfaces);
            String error = stages.runs().outcome(runId).orElseThrow().error();
            assertEquals("rejected: HTTP 400 from GET http://***@127.0.0.1:" + echo.getAddress().getPort()
                    + "/fail?api_key=***: the API rejected the request: {\"error\": \"bad "
                    + "request\", \"echo\": {\"url\": \"/fail?api_key=***\", \"authorization\": \"Bearer ***\"}}; "
                    + "check the url, its parameters and the headers", error, "the mask shows where each secret was");
            assertTrue(surfaces.get("GET /api/runs/" + runId).contains("Bearer ***"), surfaces.toString());
            assertTrue(surfaces.get("alerts").contains("Bearer ***"), surfaces.get("alerts"));
            assertTrue(surfaces.get("log").contains("Bearer ***"), surfaces.get("log"));
        }
    }

    @Test
    void anApiThatEchoesTheRequestInLinksHeadersAndRejectedRecordsLeavesNoSecretInLineageManifestOrRejects(
            @TempDir Path dir) throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            RunStages stages = stages(dir, rest("canary-ok", "/ok"), receiver);
            RunId runId = stages.start(Map.of());

            assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());

            Map<String, String> surfaces = surfaces(stages, runId, receiver);
            assertNoCanary(surfaces);
            String rejects = surfaces.entrySet().stream().filter(e -> e.getKey().contains("_rejects/"))
                    .map(Map.Entry::getValue).reduce("", String::concat);
            assertTrue(rejects.contains("not a number"), "the rejected records are kept: " + rejects);
            String lineage = surfaces.get("lineage (text)");
            assertTrue(lineage.contains("GET http://***@127.0.0.1:" + echo.getAddress().getPort()
                    + "/ok?api_key=***&page=2"), lineage);
            assertTrue(surfaces.get("alerts").contains("rejectsOverThreshold"), surfaces.get("alerts"));
        }
    }

    @Test
    void aRecordThatHoldsASecretFailsTheRunNamingTheRecordAndTheSettingAndCommitsNothing(@TempDir Path dir)
            throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            RunStages stages = stages(dir, rest("canary-record", "/record"), receiver);
            RunId runId = stages.start(Map.of());

            assertEquals(RunState.FAILED, stages.runToEnd(runId).status());

            Map<String, String> surfaces = surfaces(stages, runId, receiver);
            assertNoCanary(surfaces);
            String error = stages.runs().outcome(runId).orElseThrow().error();
            assertTrue(error.startsWith("malformed response: record 2 from the source holds the value of the app "
                    + "setting CANARY_API"), error);
            assertTrue(error.endsWith("in place of %CANARY_API_KEY%") || error.endsWith("in place of "
                    + "%CANARY_API_TOKEN%"), error);
            assertEquals(List.of(), blobs.list(RunLayout.TRAINING, RunLayout.datasetFolder("canary-record", runId)),
                    "nothing is committed");
        }
    }

    @Test
    void aDatabaseThatRefusesTheLoginLeavesNoSecretAnywhere(@TempDir Path dir) throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver(); SamplePostgres db = SamplePostgres.start(0, 10)) {
            Settings.overlay(Map.of("CANARY_DB_URL", db.jdbcUrl()));
            PipelineDefinition sql = definition("canary-sql", """
                    {"schemaVersion": 1, "name": "canary-sql",
                     "source": {"sql": {"url": "%CANARY_DB_URL%", "user": "%CANARY_DB_USER%",
                                        "password": "%CANARY_DB_PASSWORD%",
                                        "query": "SELECT order_id, region FROM orders"}},
                     "columns": [{"name": "order_id", "type": "long"}, {"name": "region", "type": "string"}]}""");
            RunStages stages = stages(dir, sql, receiver);
            RunId runId = stages.start(Map.of());

            assertEquals(RunState.FAILED, stages.runToEnd(runId).status());

            assertNoCanary(surfaces(stages, runId, receiver));
            String error = stages.runs().outcome(runId).orElseThrow().error();
            assertTrue(error.startsWith("credentials: the database at " + db.jdbcUrl() + " refused the login "
                    + "(SQLState 28P01: "), error);
            assertTrue(error.contains("for user \"***\""), "the driver's message names the user, masked: " + error);
        }
    }
}
