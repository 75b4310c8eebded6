package io.tributary.local;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.trigger.Ncrontab;
import io.tributary.functions.FunctionApp;
import io.tributary.run.Json;
import io.tributary.run.RunOutcome;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.port.BlobStore;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The run history endpoints through the local host's HTTP listener, over runs the host carries out: list pipelines,
 * list runs with filters, one run in full, rerun a failed run; bad requests get 400, 404 and 409 that say why.
 */
class RunsApiIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final HostJson FAST = new HostJson(4, 2, 2, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));

    static LocalHost host;
    static RunHistory history;
    static BlobStore blobs;
    static URI api;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path defs = AZURITE.dataDir().resolve("pipeline-defs");
        Files.createDirectories(defs);
        Files.writeString(defs.resolve("shops.json"), """
                {"schemaVersion": 1, "name": "shops", "schedule": {"cron": "0 0 6 * * *"},
                 "source": {"format": "csv", "blob": "reference/shops.csv"},
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}]}""");
        Files.writeString(defs.resolve("regions.json"), """
                {"schemaVersion": 1, "name": "regions",
                 "source": {"format": "csv", "blob": "reference/shops.csv"},
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}],
                 "steps": [{"op": "lookup", "from": "reference/regions.csv", "on": ["shop_id"],
                            "columns": {"region": "string"}}]}""");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 1 1 *"));
        var clients = AZURITE.clients();
        clients.createContainer("reference");
        blobs = new AzureBlobStore(clients.blobs());
        blobs.put("reference", "shops.csv", "shop_id,units\nS1,2\nS2,lots\nS3,6\nS4,1\n"
                .getBytes(StandardCharsets.UTF_8));
        history = new RunHistory(new RunStore(blobs));
        host = new LocalHost(clients, FAST, new HostLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false), "runs-api-it", 0);
        host.start();
        api = host.httpBase().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return Json.MAPPER.readTree(response.body());
    }

    private static RunOutcome awaitEnd(RunId runId) {
        return Eventually.await("run " + runId + " to end", Duration.ofSeconds(90),
                () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome));
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.get(field).asText()));
        return values;
    }

    @Test
    void aCommittedRunIsListedAndShownInFull() throws Exception {
        RunId runId = RunId.parse(json(post("pipelines/shops/runs"), 202).get("runId").asText());
        RunOutcome outcome = awaitEnd(runId);
        assertEquals(RunState.COMMITTED, outcome.status(), outcome::toString);

        JsonNode listed = json(get("runs?pipeline=shops&status=committed"), 200).get("runs");
        assertEquals(List.of(runId.text()), texts(listed, "runId"));
        JsonNode summary = listed.get(0);
        assertEquals(List.of("shops", "manual", "committed", "4", "3", "1", outcome.at().toString(), "null", "null"),
                List.of(summary.get("pipeline").asText(), summary.get("trigger").asText(),
                        summary.get("status").asText(), summary.get("rowsIn").asText(), summary.get("rowsOut").asText(),
                        summary.get("rowsRejected").asText(), summary.get("endedAt").asText(),
                        summary.get("error").toString(), summary.get("failedStage").toString()));
        assertTrue(summary.get("bytes").asLong() > 0, summary.toString());
        assertEquals(List.of(), texts(json(get("runs?pipeline=shops&status=failed"), 200).get("runs"), "runId"));
        assertEquals(List.of(), texts(json(get("runs?pipeline=shops&until=2020-01-01"), 200).get("runs"), "runId"));
        String today = java.time.LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(List.of(runId.text()), texts(json(get("runs?pipeline=shops&status=committed&until=" + today), 200)
                .get("runs"), "runId"), "a date as until is the whole day");

        JsonNode full = json(get("runs/" + runId), 200);
        assertEquals(List.of(runId.text(), "reference/shops.csv", "{}"), List.of(full.get("run").get("runId").asText(),
                full.get("run").get("source").asText(), full.get("run").get("parameters").toString()));
        assertEquals(summary.get("bytes"), full.get("run").get("bytes"));
        assertEquals(List.of("extract", "transform", "store"), texts(full.get("stages"), "stage"));
        assertEquals(List.of("1", "1", "1"), texts(full.get("stages"), "attempts"));
        assertEquals(List.of("succeeded", "succeeded", "succeeded"), texts(full.get("stages"), "status"));
        assertEquals(List.of("-1", "0", "-1"), texts(full.get("stages"), "chunk"));
        assertEquals("{\"data\":3}", full.get("splits").toString());
        assertEquals(1, full.get("rejects").get("count").asLong());
        assertEquals(List.of("3", "units"), List.of(full.get("rejects").get("sample").get(0).get("line").asText(),
                full.get("rejects").get("sample").get(0).get("column").asText()));
        assertEquals("training/shops/" + runId + "/", full.get("dataset").get("path").asText());
        assertEquals(List.of("3"), texts(full.get("dataset").get("files"), "rows"));
        assertEquals(List.of("data"), texts(full.get("dataset").get("files"), "split"));

        JsonNode pipelines = json(get("pipelines"), 200).get("pipelines");
        assertEquals(List.of("regions", "shops"), texts(pipelines, "name"));
        JsonNode shops = pipelines.get(1);
        assertEquals(List.of("schedule", "0 0 6 * * *", "UTC"), List.of(shops.get("trigger").get("type").asText(),
                shops.get("trigger").get("schedule").asText(), shops.get("trigger").get("timeZone").asText()));
        Instant next = Instant.parse(shops.get("nextRunAt").asText());
        assertEquals(Ncrontab.parse("0 0 6 * * *").next(next.minusSeconds(86_400), ZoneOffset.UTC).orElseThrow(), next);
        assertTrue(next.isAfter(Instant.now()) && next.isBefore(Instant.now().plus(Duration.ofDays(1))), next::toString);
        assertEquals(List.of(runId.text(), "committed", "3"), List.of(shops.get("lastRun").get("runId").asText(),
                shops.get("lastRun").get("status").asText(), shops.get("lastRun").get("rowsOut").asText()));
        assertEquals("manual", pipelines.get(0).get("trigger").get("type").asText());
        assertTrue(pipelines.get(0).get("nextRunAt").isNull());

        JsonNode refused = json(post("runs/" + runId + "/rerun"), 409);
        assertTrue(refused.get("error").asText().startsWith("already committed: run " + runId), refused.toString());
    }

    @Test
    void aFailedRunIsFoundByStatusAndRerunFromWhatFailed() throws Exception {
        RunId runId = RunId.parse(json(post("pipelines/regions/runs"), 202).get("runId").asText());
        assertEquals(RunState.FAILED, awaitEnd(runId).status());

        JsonNode failed = json(get("runs?pipeline=regions&status=failed&limit=5"), 200).get("runs");
        assertEquals(List.of(runId.text()), texts(failed, "runId"));
        assertEquals("extract", failed.get(0).get("failedStage").asText());
        assertTrue(failed.get(0).get("error").asText().contains("reference/regions.csv"), failed.toString());

        blobs.put("reference", "regions.csv", "shop_id,region\nS1,north\nS3,south\nS4,east\n"
                .getBytes(StandardCharsets.UTF_8));
        JsonNode rerun = json(post("runs/" + runId + "/rerun"), 202);
        assertEquals(List.of(runId.text(), "extract"), List.of(rerun.get("runId").asText(), rerun.get("resumeFrom").asText()));
        json(post("runs/" + runId + "/rerun"), 409);
        Eventually.await("run " + runId + " to commit", Duration.ofSeconds(90),
                () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome)
                        .filter(o -> o.status() == RunState.COMMITTED));

        JsonNode full = json(get("runs/" + runId), 200);
        assertEquals(List.of("committed", "3"), List.of(full.get("run").get("status").asText(),
                full.get("run").get("rowsOut").asText()));
        assertEquals("2", full.get("stages").get(0).get("attempts").asText(), "extract failed once, then went on");
        assertEquals(List.of(runId.text()), texts(json(get("runs?pipeline=regions&status=committed"), 200).get("runs"),
                "runId"));
    }

    @Test
    void badRequestsSayWhatIsWrongAndHowToFixIt() throws Exception {
        assertEquals("status must be one of running, committed, failed, not 'x'",
                json(get("runs?status=x"), 400).get("error").asText());
        assertEquals("limit must be a whole number from 1 to 1000, not '5000'",
                json(get("runs?limit=5000"), 400).get("error").asText());
        assertTrue(json(get("runs?since=last-week"), 400).get("error").asText().startsWith(
                "since must be an ISO-8601 time such as 2026-11-22T07:00:00Z"));
        assertEquals("no run 20991231T000000Z-0000000000; GET /api/runs lists the runs",
                json(get("runs/20991231T000000Z-0000000000"), 404).get("error").asText());
        assertEquals("no run 20991231T000000Z-0000000000; GET /api/runs lists the runs",
                json(post("runs/20991231T000000Z-0000000000/rerun"), 404).get("error").asText());
        assertTrue(json(get("runs/latest"), 400).get("error").asText().startsWith("'latest' is not a run id"));
        assertEquals("no pipeline named 'shosp'; did you mean 'shops'?; available: regions, shops",
                json(get("runs?pipeline=shosp"), 404).get("error").asText());
        assertEquals("no pipeline named 'nope'; available: regions, shops",
                json(get("lineage/nope"), 404).get("error").asText());
        assertEquals("pipeline 'shops' does not use the parameter 'region'; it uses none (a REST source refers to one "
                + "as {name} in its url or headers, a SQL query as :name, a landing path captures one as {name})",
                json(HTTP.send(HttpRequest.newBuilder(api.resolve("pipelines/shops/runs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\": {\"region\": \"emea\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString()), 400).get("error").asText());
    }
}
