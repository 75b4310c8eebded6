package io.tributary.local;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunOutcome;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.history.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API through the local host, as {@code func start} serves it: a POST starts a run of a REST pipeline
 * with parameters, which the host fetches from a loopback CRM API, transforms and commits; the same request id
 * names the same run; mistakes get 4xx answers that say what is wrong.
 */
class HttpStartIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final HostJson FAST = new HostJson(4, 2, 2, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));
    static final String TOKEN = "http-it-token";

    static SampleCrmApi crm;
    static LocalHost host;
    static RunHistory history;
    static URI api;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        crm = SampleCrmApi.start(0, TOKEN, 120, 50);
        Path defs = AZURITE.dataDir().resolve("pipeline-defs");
        Files.createDirectories(defs);
        Files.writeString(defs.resolve("crm-contacts.json"), Files.readString(AzuriteExtension.projectRoot()
                .resolve("pipeline-defs/crm-contacts.json")).replace("\"$schema\": \"./schema/pipeline.schema.json\",", ""));
        Files.writeString(defs.resolve("segment.json"), """
                {"schemaVersion": 1, "name": "segment",
                 "source": {"rest": {"url": "%CRM_API_URL%/contacts?page_size={size}",
                                     "headers": {"Authorization": "Bearer %CRM_API_TOKEN%"}, "records": "/data"}},
                 "columns": [{"name": "id", "type": "long"}, {"name": "company", "type": "string"}],
                 "schemaDrift": "ignore"}""");
        // A definition with a NUL in an expression: reported and skipped, it stops none of the others.
        Files.writeString(defs.resolve("broken.json"), """
                {"schemaVersion": 1, "name": "broken",
                 "source": {"format": "csv", "blob": "reference/broken.csv"},
                 "columns": [{"name": "amount", "type": "int"}],
                 "steps": [{"op": "filter", "where": "amount \\u0000> 0"}]}""");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 1 1 *",
                "CRM_API_URL", crm.baseUrl(), "CRM_API_TOKEN", TOKEN));
        history = new RunHistory(new RunStore(new AzureBlobStore(AZURITE.clients().blobs())));
        host = new LocalHost(AZURITE.clients(), FAST, new HostLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false), "http-it", 0);
        host.start();
        api = host.httpBase().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
        if (crm != null) {
            crm.close();
        }
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Manifest awaitCommit(RunId runId) {
        RunOutcome outcome = Eventually.await("run " + runId + " to end", Duration.ofSeconds(90),
                () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome));
        assertEquals(RunState.COMMITTED, outcome.status(), () -> "run " + runId + " failed: " + outcome.error());
        return history.status(runId).orElseThrow().manifest().orElseThrow();
    }

    @Test
    void aPostStartsARunWithItsParametersAndAnswersItsId() throws Exception {
        HttpResponse<String> response = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"40\"}, \"requestId\": \"nightly-2026-11-22\"}");

        assertEquals(202, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode answer = Json.MAPPER.readTree(response.body());
        RunId runId = RunId.parse(answer.get("runId").asText());
        assertEquals("segment", answer.get("pipeline").asText());
        assertTrue(answer.get("runs").get(0).get("new").asBoolean());

        Manifest manifest = awaitCommit(runId);
        assertEquals(40, manifest.rows().out(), "one page of the size the parameter asked for");
        assertEquals(Map.of("size", "40"), history.status(runId).orElseThrow().record().parameters());
        assertTrue(manifest.fetched().requests().get(0).contains("page_size=40"), manifest.fetched().requests().toString());

        HttpResponse<String> again = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"40\"}, \"requestId\": \"nightly-2026-11-22\"}");
        assertEquals(202, again.statusCode());
        JsonNode second = Json.MAPPER.readTree(again.body());
        assertEquals(runId.text(), second.get("runId").asText(), "the same request id names the same run");
        assertEquals(false, second.get("runs").get(0).get("new").asBoolean());
    }

    @Test
    void aScheduledRestPipelineStartedByHandLoadsTheWholeApiFirst() throws Exception {
        HttpResponse<String> response = post("pipelines/crm-contacts/runs", "");

        assertEquals(202, response.statusCode(), response.body());
        Manifest manifest = awaitCommit(RunId.parse(Json.MAPPER.readTree(response.body()).get("runId").asText()));
        assertEquals(120, manifest.rows().out());
        assertEquals(2, manifest.fetched().requests().size(), "120 contacts in pages of 100, the url's page_size");
        assertEquals(crm.updatedAt(119), manifest.fetched().watermark().high());
    }

    @Test
    void mistakesGetAnAnswerThatSaysWhatIsWrong() throws Exception {
        HttpResponse<String> unknown = post("pipelines/segmnet/runs", "");
        assertEquals(404, unknown.statusCode());
        assertEquals("no pipeline named 'segmnet'; did you mean 'segment'?; available: crm-contacts, segment",
                Json.MAPPER.readTree(unknown.body()).get("error").asText());

        HttpResponse<String> notJson = post("pipelines/segment/runs", "size=40");
        assertEquals(400, notJson.statusCode());
        String notJsonError = Json.MAPPER.readTree(notJson.body()).get("error").asText();
        assertTrue(notJsonError.startsWith("the body is not JSON (line 1, column 5: "), notJson.body());
        assertTrue(!notJsonError.contains("Source:") && !notJsonError.contains("java") && !notJsonError.contains("byte[]"),
                "no Java internals: " + notJsonError);

        HttpResponse<String> misspelt = post("pipelines/segment/runs", "{\"fullRefersh\": true}");
        assertEquals(400, misspelt.statusCode(), misspelt.body());
        assertEquals("unknown field 'fullRefersh' in the body; did you mean 'fullRefresh'?; the fields are parameters, "
                + "fullRefresh and requestId", Json.MAPPER.readTree(misspelt.body()).get("error").asText());

        HttpResponse<String> wrongType = post("pipelines/segment/runs", "{\"fullRefresh\": \"yes\"}");
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        assertEquals("fullRefresh must be true or false, not the string \"yes\"",
                Json.MAPPER.readTree(wrongType.body()).get("error").asText());

        HttpResponse<String> unused = post("pipelines/segment/runs", "{\"parameters\": {\"sise\": \"4\"}}");
        assertEquals(400, unused.statusCode(), unused.body());
        assertEquals("pipeline 'segment' does not use the parameter 'sise'; did you mean 'size'?; it uses size",
                Json.MAPPER.readTree(unused.body()).get("error").asText());

        HttpResponse<String> badName = post("pipelines/segment/runs", "{\"parameters\": {\"page size\": \"4\"}}");
        assertEquals(400, badName.statusCode());
        assertTrue(badName.body().contains("parameter name 'page size' is not a name"), badName.body());

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(api.resolve("pipelines/segment/runs")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        HttpResponse<String> nowhere = post("nowhere", "");
        assertEquals(404, nowhere.statusCode());
        assertEquals("no function at /api/nowhere", Json.MAPPER.readTree(nowhere.body()).get("error").asText());
    }

    @Test
    void aDefinitionHoldingANulIsListedAsBrokenAndTheOthersStillRun() throws Exception {
        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(api.resolve("pipelines")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode body = Json.MAPPER.readTree(listed.body());
        assertEquals(List.of("crm-contacts", "segment"), body.get("pipelines").findValuesAsText("name"));
        assertEquals("broken", body.at("/broken/0/pipeline").asText());
        assertEquals("/steps/0/where", body.at("/broken/0/problems/0/pointer").asText());
        assertEquals(4, body.at("/broken/0/problems/0/line").asInt());
        assertTrue(body.at("/broken/0/problems/0/message").asText().startsWith("the value holds the control character "
                + "U+0000 at character 8"), body.toString());

        HttpResponse<String> started = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"5\"}, \"requestId\": \"beside-a-broken-one\"}");
        assertEquals(202, started.statusCode(), started.body());
        assertEquals(5, awaitCommit(RunId.parse(Json.MAPPER.readTree(started.body()).get("runId").asText())).rows().out());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndStartsNothing() throws Exception {
        HttpResponse<String> huge = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"" + "4".repeat(100_000) + "\"}, \"requestId\": \"too-large\"}");
        assertEquals(413, huge.statusCode(), huge.body());
        assertTrue(Json.MAPPER.readTree(huge.body()).get("error").asText().startsWith("the body is 100054 bytes, over "
                + "the 64 KiB a run request may be"), huge.body());

        HttpResponse<String> again = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"3\"}, \"requestId\": \"too-large\"}");
        assertEquals(202, again.statusCode(), again.body());
        assertTrue(Json.MAPPER.readTree(again.body()).at("/runs/0/new").asBoolean(), "the refused request left nothing");
        assertEquals(3, awaitCommit(RunId.parse(Json.MAPPER.readTree(again.body()).get("runId").asText())).rows().out());
    }

    @Test
    void theLineageOfARunIsServedAsJson() throws Exception {
        HttpResponse<String> started = post("pipelines/segment/runs",
                "{\"parameters\": {\"size\": \"10\"}, \"requestId\": \"lineage-of-10\"}");
        RunId runId = RunId.parse(Json.MAPPER.readTree(started.body()).get("runId").asText());
        awaitCommit(runId);

        HttpResponse<String> lineage = HTTP.send(HttpRequest.newBuilder(api.resolve("lineage/segment?run=" + runId))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lineage.statusCode(), lineage.body());
        assertEquals("application/json", lineage.headers().firstValue("Content-Type").orElse(""));
        JsonNode graph = Json.MAPPER.readTree(lineage.body());
        assertEquals(List.of("run", "request", "dataset"), graph.get("nodes").findValuesAsText("kind"));
        assertEquals("run:" + runId, graph.at("/nodes/0/id").asText());
        assertTrue(graph.at("/nodes/1/label").asText().startsWith("request GET " + crm.baseUrl()
                + "/contacts?page_size=10"), graph.at("/nodes/1/label").asText());
        assertEquals(10, graph.at("/nodes/2/detail/rows").asInt());
        assertEquals("fetched by", graph.at("/edges/0/label").asText());
        assertEquals("committed", graph.at("/edges/1/label").asText());

        HttpResponse<String> badRun = HTTP.send(HttpRequest.newBuilder(api.resolve("lineage/segment?run=latest"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badRun.statusCode());
        assertTrue(Json.MAPPER.readTree(badRun.body()).get("error").asText().startsWith("'latest' is not a run id"),
                badRun.body());
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(api.resolve("lineage/nothing-yet")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, none.statusCode());
        assertEquals("no pipeline named 'nothing-yet'; available: crm-contacts, segment",
                Json.MAPPER.readTree(none.body()).get("error").asText());
        HttpResponse<String> misspelt = HTTP.send(HttpRequest.newBuilder(api.resolve("lineage/segmnt")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, misspelt.statusCode());
        assertEquals("no pipeline named 'segmnt'; did you mean 'segment'?; available: crm-contacts, segment",
                Json.MAPPER.readTree(misspelt.body()).get("error").asText());
        HttpResponse<String> runs = HTTP.send(HttpRequest.newBuilder(api.resolve("runs?pipeline=segmnt")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, runs.statusCode(), "not an empty 200: " + runs.body());
        assertEquals("no pipeline named 'segmnt'; did you mean 'segment'?; available: crm-contacts, segment",
                Json.MAPPER.readTree(runs.body()).get("error").asText());
    }
}
