package io.tributary.local.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cloud.Loopback;
import io.tributary.run.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Azure ML jobs stand-in on its own, over HTTP: the API version, what a PUT is checked for, immutable jobs, the
 * cancel's operation, and the executor seam the local host runs jobs through.
 */
class LocalAzureMlTest {

    private static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";
    private static final String COMPONENT = WORKSPACE + "/components/train_model/versions/3";
    private static final String JOBS = WORKSPACE + "/jobs/";
    private static final String VERSION = "?api-version=2025-09-01";

    private final LocalAzureMl workspace = new LocalAzureMl(0, WORKSPACE).component("train_model", "3")
            .compute("cpu-cluster");
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        workspace.close();
    }

    private record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(body, e);
            }
        }

        String error() {
            JsonNode error = json().path("error");
            return error.path("code").asText() + ": " + error.path("message").asText();
        }
    }

    private Reply call(String method, String pathAndQuery, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(workspace.uri() + pathAndQuery))
                    .header("Authorization", "Bearer " + Loopback.TOKEN)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A one-node pipeline job of the command component, on the cluster. */
    private static String body(String literal) {
        return "{\"properties\":{\"jobType\":\"Pipeline\",\"displayName\":\"train\",\"tags\":{\"a\":\"1\"},"
                + "\"inputs\":{\"epochs\":{\"jobInputType\":\"literal\",\"value\":\"" + literal + "\"}},"
                + "\"outputs\":{\"model\":{\"jobOutputType\":\"mlflow_model\"}},"
                + "\"settings\":{\"default_compute\":\"" + WORKSPACE + "/computes/cpu-cluster\"},"
                + "\"jobs\":{\"tributary\":{\"type\":\"command\",\"componentId\":\"" + COMPONENT + "\","
                + "\"inputs\":{\"epochs\":{\"job_input_type\":\"literal\",\"value\":\"${{parent.inputs.epochs}}\"}},"
                + "\"outputs\":{\"model\":{\"type\":\"literal\",\"value\":\"${{parent.outputs.model}}\"}}}}}}";
    }

    @Test
    void everyRequestNeedsTheApiVersion() {
        assertEquals("MissingApiVersionParameter: The api-version query parameter (?api-version=) is required for all "
                + "requests.", call("GET", JOBS + "train-1", null).error());
        Reply old = call("GET", JOBS + "train-1?api-version=2023-04-01", null);
        assertEquals(400, old.status());
        assertEquals("InvalidApiVersionParameter: The api-version '2023-04-01' is invalid. The supported versions are "
                + "'2025-09-01'.", old.error());
    }

    @Test
    void aJobIsCreatedOnceAndReadWithItsStatusStudioLinkAndCreationTime() {
        Reply created = call("PUT", JOBS + "train-1" + VERSION, body("10"));
        assertEquals(201, created.status());
        JsonNode job = created.json();
        assertEquals(List.of(JOBS + "train-1", "train-1", "Microsoft.MachineLearningServices/workspaces/jobs",
                "NotStarted", "https://ml.azure.com/runs/train-1?wsid=" + WORKSPACE, "Default"),
                List.of(job.path("id").asText(), job.path("name").asText(), job.path("type").asText(),
                        job.path("properties").path("status").asText(),
                        job.path("properties").path("services").path("Studio").path("endpoint").asText(),
                        job.path("properties").path("experimentName").asText()));
        assertTrue(job.path("systemData").path("createdAt").isTextual());

        assertEquals("Queued", call("GET", JOBS + "train-1" + VERSION, null).json().path("properties").path("status")
                .asText());
        assertEquals("UserError: Job train-2 not found", call("GET", JOBS + "train-2" + VERSION, null).error());
    }

    @Test
    void jobsAreImmutableButForTagsAndNames() {
        call("PUT", JOBS + "train-1" + VERSION, body("10"));

        Reply retagged = call("PUT", JOBS + "train-1" + VERSION, body("10").replace("\"a\":\"1\"", "\"a\":\"2\""));
        assertEquals(200, retagged.status(), "only what the service lets change changed");
        assertEquals("2", retagged.json().path("properties").path("tags").path("a").asText());

        Reply changed = call("PUT", JOBS + "train-1" + VERSION, body("20"));
        assertEquals(400, changed.status());
        assertEquals("UserError: " + LocalAzureMl.ALREADY_EXISTS, changed.error());

        workspace.conflicts(409, true);
        assertEquals(409, call("PUT", JOBS + "train-1" + VERSION, body("10")).status(), "set to refuse any re-PUT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"jobType\":\"Pipeline\"|\"displayName\":\"x\"|400|UserError: 'jobType' is required.",
        "\"jobType\":\"Pipeline\"|\"jobType\":\"Command\"|400|UserError: This local stand-in runs Pipeline jobs only, "
                + "not Command jobs.",
        "\"jobInputType\":\"literal\"|\"jobInputType\":\"string\"|400|UserError: Input 'epochs': 'jobInputType' string "
                + "is not one of [custom_model, literal, mlflow_model, mltable, triton_model, uri_file, uri_folder].",
        "\"value\":\"10\"|\"uri\":\"10\"|400|UserError: Input 'epochs' of type literal needs 'value'.",
        "\"jobOutputType\":\"mlflow_model\"|\"mode\":\"Upload\"|400|UserError: Output 'model': 'jobOutputType' is "
                + "required.",
        "${{parent.outputs.model}}|${{parent.outputs.result}}|400|UserError: Node 'tributary' output 'model' binds to "
                + "${{parent.outputs.result}}, which the pipeline does not have.",
        "\"componentId\":\"/subscriptions|\"component\":\"/subscriptions|400|UserError: Node 'tributary' needs "
                + "'componentId': a pipeline job's steps reference a component.",
        "versions/3|versions/4|404|UserError: Component '/subscriptions/00000000-1111-2222-3333-444444444444/"
                + "resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ml-prod/components/"
                + "train_model/versions/4' not found in workspace /subscriptions/00000000-1111-2222-3333-444444444444/"
                + "resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ml-prod.",
        "computes/cpu-cluster|computes/gpu-cluster|404|UserError: Compute '/subscriptions/00000000-1111-2222-3333-"
                + "444444444444/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ml-prod/"
                + "computes/gpu-cluster' not found in workspace /subscriptions/00000000-1111-2222-3333-444444444444/"
                + "resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ml-prod.",
        "\"default_compute\":\"/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg/providers/"
                + "Microsoft.MachineLearningServices/workspaces/ml-prod/computes/cpu-cluster\"|\"default_compute\":"
                + "\"cpu-cluster\"|400|UserError: The compute 'cpu-cluster' must be a compute's ARM resource id "
                + "(/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg/providers/"
                + "Microsoft.MachineLearningServices/workspaces/ml-prod/computes/NAME)."})
    void aPutIsCheckedAsTheServiceChecksIt(String from, String to, int status, String error) {
        Reply reply = call("PUT", JOBS + "train-1" + VERSION, body("10").replace(from, to));

        assertEquals(status, reply.status(), reply.body());
        assertEquals(error, reply.error());
        assertEquals(java.util.Optional.empty(), workspace.status("train-1"));
    }

    @Test
    void aBadNameAndAnotherWorkspaceAreRefused() {
        assertEquals("UserError: The job name '-train' is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}.",
                call("PUT", JOBS + "-train" + VERSION, body("10")).error());
        Reply other = call("GET", JOBS.replace("ml-prod", "ml-test") + "train-1" + VERSION, null);
        assertEquals(404, other.status());
        assertTrue(other.error().startsWith("ResourceNotFound: "), other.body());
    }

    @Test
    void aCancelIsAnOperationThatEndsWhenTheJobIsCanceled() {
        workspace.script("train-1", "Running");
        call("PUT", JOBS + "train-1" + VERSION, body("10"));

        Reply cancel = call("POST", JOBS + "train-1/cancel" + VERSION, null);
        assertEquals(202, cancel.status());
        assertEquals("10", cancel.response().headers().firstValue("Retry-After").orElseThrow());
        String location = cancel.response().headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(workspace.uri() + "/subscriptions/00000000-1111-2222-3333-444444444444/providers/"
                + "Microsoft.MachineLearningServices/locations/local/mfeOperationResults/"), location);
        String operation = location.substring(workspace.uri().toString().length());

        assertEquals(202, call("GET", operation, null).status(), "CancelRequested: still going");
        assertEquals("CancelRequested", status("train-1"));
        assertEquals("Canceled", status("train-1"));
        assertEquals(200, call("GET", operation, null).status(), "over");
        assertEquals("UserError: Job train-1 is in a terminal state (Canceled) and cannot be canceled.",
                call("POST", JOBS + "train-1/cancel" + VERSION, null).error());
    }

    private String status(String name) {
        return call("GET", JOBS + name + VERSION, null).json().path("properties").path("status").asText();
    }

    @Test
    void anExecutorRunsTheJobAndItsOutcomeIsTheLastStatus() {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        AtomicReference<AzureMlExecutor.Job> started = new AtomicReference<>();
        List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
        workspace.executor(job -> {
            started.set(job);
            return AzureMlExecutor.Execution.following(outcome, () -> cancelled.add(job.name()));
        });

        assertEquals("NotStarted", call("PUT", JOBS + "train-1" + VERSION, body("10")).json().path("properties")
                .path("status").asText());
        AzureMlExecutor.Job job = started.get();
        assertEquals(List.of("train-1", "Default", COMPONENT, false, WORKSPACE + "/computes/cpu-cluster"),
                List.of(job.name(), job.experiment(), job.component(), job.pipeline(), job.compute()));
        assertEquals(Map.of("epochs", new AzureMlExecutor.Input("literal", "10")), job.inputs());
        assertEquals(Map.of("model", "mlflow_model"), job.outputs());
        assertEquals(Map.of("a", "1"), job.tags());

        assertEquals("Running", status("train-1"));
        outcome.complete(false);
        assertEquals("Failed", status("train-1"), "the outcome is the job's last status");

        CompletableFuture<Boolean> second = new CompletableFuture<>();
        workspace.executor(j -> AzureMlExecutor.Execution.following(second, () -> cancelled.add(j.name())));
        call("PUT", JOBS + "train-2" + VERSION, body("10"));
        assertEquals(202, call("POST", JOBS + "train-2/cancel" + VERSION, null).status());
        assertEquals(List.of("train-2"), cancelled, "the executor is told");
        assertEquals("CancelRequested", status("train-2"));
        assertEquals("Canceled", status("train-2"));
    }

    @Test
    void aScriptHasAStatus() {
        assertThrows(IllegalArgumentException.class, () -> AzureMlExecutor.Execution.script(List.of()));
    }
}
