package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What {@code mvn package} generated for the Functions host: one function.json per function, with its trigger. */
class FunctionJsonIT {

    private static final Path STAGING = Path.of(System.getProperty("tributary.functions.staging",
            "target/azure-functions/tributary"));

    private static JsonNode function(String name) throws IOException {
        return new ObjectMapper().readTree(STAGING.resolve(name).resolve("function.json").toFile());
    }

    private static JsonNode trigger(String name) throws IOException {
        JsonNode bindings = function(name).get("bindings");
        assertEquals(1, bindings.size(), name + " has one binding, its trigger");
        assertEquals("in", bindings.get(0).get("direction").asText());
        return bindings.get(0);
    }

    @Test
    void everyFunctionHasAFunctionJson() throws IOException {
        try (Stream<Path> dirs = Files.list(STAGING)) {
            List<String> functions = dirs.filter(d -> Files.exists(d.resolve("function.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertEquals(List.of("cancelRun", "combine", "dashboard", "extract", "fileDrop", "getRun",
                    "historyRetention", "job", "lineage", "listPipelines", "listRuns", "poisonWatch", "rerun", "schedule",
                    "startRun", "store", "tableHistory", "tableVacuum", "transform"),
                    functions);
        }
        assertEquals("io.tributary.functions.ExtractFunction.run", function("extract").get("entryPoint").asText());
        assertEquals("../tributary-functions-0.1.0-SNAPSHOT.jar", function("extract").get("scriptFile").asText());
    }

    @Test
    void fileDropIsABlobTriggerOnTheLandingContainer() throws IOException {
        JsonNode trigger = trigger("fileDrop");
        assertEquals("blobTrigger", trigger.get("type").asText());
        assertEquals("landing/{name}", trigger.get("path").asText());
        assertEquals("AzureWebJobsStorage", trigger.get("connection").asText());
        // Flex Consumption runs blob triggers only from Event Grid events.
        assertEquals("EventGrid", trigger.get("source").asText());
        // It binds an SDK-type BlobClient, which the host hands to the Java worker only when told to defer.
        assertEquals(true, trigger.get("supportsDeferredBinding").asBoolean(false));
    }

    @Test
    void startRunIsAnHttpPostThatNeedsAFunctionKey() throws IOException {
        JsonNode bindings = function("startRun").get("bindings");
        assertEquals(2, bindings.size(), "the trigger and the response");
        JsonNode trigger = bindings.get(0);
        assertEquals("httpTrigger", trigger.get("type").asText());
        assertEquals("pipelines/{pipeline}/runs", trigger.get("route").asText());
        assertEquals("[\"POST\"]", trigger.get("methods").toString());
        assertEquals("FUNCTION", trigger.get("authLevel").asText());
        assertEquals("http", bindings.get(1).get("type").asText());
        assertEquals("$return", bindings.get(1).get("name").asText());
    }

    @Test
    void theDashboardIsAnHttpGetThatNeedsAFunctionKey() throws IOException {
        JsonNode bindings = function("dashboard").get("bindings");
        assertEquals(2, bindings.size(), "the trigger and the response");
        JsonNode trigger = bindings.get(0);
        assertEquals("httpTrigger", trigger.get("type").asText());
        assertEquals("dashboard", trigger.get("route").asText());
        assertEquals("[\"GET\"]", trigger.get("methods").toString());
        assertEquals("FUNCTION", trigger.get("authLevel").asText());
    }

    @Test
    void theRunHistoryEndpointsAreHttpFunctionsThatNeedAFunctionKey() throws IOException {
        Map<String, List<String>> expected = Map.of(
                "listPipelines", List.of("pipelines", "[\"GET\"]"),
                "listRuns", List.of("runs", "[\"GET\"]"),
                "getRun", List.of("runs/{runId}", "[\"GET\"]"),
                "rerun", List.of("runs/{runId}/rerun", "[\"POST\"]"),
                "cancelRun", List.of("runs/{runId}/cancel", "[\"POST\"]"),
                "tableHistory", List.of("pipelines/{pipeline}/history", "[\"GET\"]"));
        for (Map.Entry<String, List<String>> function : expected.entrySet()) {
            JsonNode bindings = function(function.getKey()).get("bindings");
            assertEquals(2, bindings.size(), function.getKey() + ": the trigger and the response");
            JsonNode trigger = bindings.get(0);
            assertEquals(List.of("httpTrigger", function.getValue().get(0), function.getValue().get(1), "FUNCTION"),
                    List.of(trigger.get("type").asText(), trigger.get("route").asText(),
                            trigger.get("methods").toString(), trigger.get("authLevel").asText()), function.getKey());
            assertEquals("$return", bindings.get(1).get("name").asText(), function.getKey());
        }
    }

    @Test
    void theJobStageIsAQueueTriggerOnItsQueue() throws IOException {
        JsonNode trigger = trigger("job");
        assertEquals("queueTrigger", trigger.get("type").asText());
        assertEquals("pipeline-job", trigger.get("queueName").asText());
        assertEquals("AzureWebJobsStorage", trigger.get("connection").asText());
    }

    @Test
    void historyRetentionIsADailyTimer() throws IOException {
        JsonNode trigger = trigger("historyRetention");
        assertEquals("timerTrigger", trigger.get("type").asText());
        assertEquals("0 17 3 * * *", trigger.get("schedule").asText());
    }

    @Test
    void tableVacuumIsADailyTimer() throws IOException {
        JsonNode trigger = trigger("tableVacuum");
        assertEquals("timerTrigger", trigger.get("type").asText());
        assertEquals("0 30 3 * * *", trigger.get("schedule").asText());
        assertEquals("io.tributary.functions.TableVacuumFunction.run", function("tableVacuum").get("entryPoint").asText());
    }

    @Test
    void lineageIsAnHttpGetThatNeedsAFunctionKey() throws IOException {
        JsonNode bindings = function("lineage").get("bindings");
        assertEquals(2, bindings.size(), "the trigger and the response");
        JsonNode trigger = bindings.get(0);
        assertEquals("httpTrigger", trigger.get("type").asText());
        assertEquals("lineage/{pipeline}", trigger.get("route").asText());
        assertEquals("[\"GET\"]", trigger.get("methods").toString());
        assertEquals("FUNCTION", trigger.get("authLevel").asText());
        assertEquals("io.tributary.functions.LineageFunction.run", function("lineage").get("entryPoint").asText());
    }

    @Test
    void scheduleIsATimerOnAnAppSetting() throws IOException {
        JsonNode trigger = trigger("schedule");
        assertEquals("timerTrigger", trigger.get("type").asText());
        assertEquals("%TRIBUTARY_SCHEDULE_TICK%", trigger.get("schedule").asText());
    }

    @Test
    void poisonWatchIsATimerOnAnAppSetting() throws IOException {
        JsonNode trigger = trigger("poisonWatch");
        assertEquals("timerTrigger", trigger.get("type").asText());
        assertEquals("%TRIBUTARY_POISON_WATCH_SCHEDULE%", trigger.get("schedule").asText());
        assertEquals("io.tributary.functions.PoisonWatchFunction.run", function("poisonWatch").get("entryPoint").asText());
    }

    @Test
    void eachStageIsAQueueTriggerOnItsOwnQueue() throws IOException {
        for (String stage : List.of("extract", "transform", "combine", "store")) {
            JsonNode trigger = trigger(stage);
            assertEquals("queueTrigger", trigger.get("type").asText(), stage);
            assertEquals("pipeline-" + stage, trigger.get("queueName").asText(), stage);
            assertEquals("AzureWebJobsStorage", trigger.get("connection").asText(), stage);
        }
    }

    @Test
    void thePackageCarriesHostJsonAndThePipelineDefinitions() throws IOException {
        JsonNode host = new ObjectMapper().readTree(STAGING.resolve("host.json").toFile());
        assertEquals("Microsoft.Azure.Functions.ExtensionBundle", host.path("extensionBundle").path("id").asText());
        assertEquals(true, Files.exists(STAGING.resolve("pipeline-defs/orders.json")));
        assertEquals(true, Files.exists(STAGING.resolve("pipeline-defs/schema/pipeline.schema.json")));
    }
}
