package io.tributary.local.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cloud.Loopback;
import io.tributary.local.compute.LocalDatabricks.StateStep;
import io.tributary.local.compute.LocalDatabricks.SubmittedRun;
import io.tributary.run.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback Jobs API on its own, over HTTP as any client would call it: both API versions, what it refuses and
 * how, idempotency tokens, runs played a script, and runs an executor runs (succeeding, failing, cancelled).
 */
class LocalDatabricksTest {

    private static final Instant NOW = Instant.parse("2026-11-22T07:32:42Z");
    private static final String NOTEBOOK = "{\"run_name\": \"clean\", \"idempotency_token\": \"k-1\", \"tasks\": "
            + "[{\"task_key\": \"t\", \"notebook_task\": {\"notebook_path\": \"/Shared/clean\"}, "
            + "\"existing_cluster_id\": \"c-1\"}]}";

    private final LocalDatabricks workspace = new LocalDatabricks(0, Clock.fixed(NOW, ZoneOffset.UTC));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        workspace.close();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(workspace.uri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body()));
    }

    private Reply call(String method, String path, String body) throws Exception {
        return call(method, path, body, Loopback.TOKEN);
    }

    private String look(long runId) throws Exception {
        JsonNode state = call("GET", "/api/2.1/jobs/runs/get?run_id=" + runId, null).body().path("state");
        String text = state.path("life_cycle_state").asText() + (state.has("result_state") ? "/"
                + state.path("result_state").asText() : "");
        String message = state.path("state_message").asText();
        return message.isEmpty() ? text : text + " " + message;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void aOneTimeRunIsStartedAndReadUnderEitherApiVersion() throws Exception {
        Reply submitted = call("POST", "/api/2.2/jobs/runs/submit", NOTEBOOK);

        assertEquals(new Reply(200, json("{\"run_id\": 1001}")), submitted);
        assertEquals(json("{\"job_id\": 900001, \"run_id\": 1001, \"number_in_job\": 1001, \"creator_user_name\": "
                + "\"tributary-local\", \"run_name\": \"clean\", \"run_type\": \"SUBMIT_RUN\", \"run_page_url\": \""
                + workspace.uri() + "/#job/900001/run/1001\", \"start_time\": " + NOW.toEpochMilli() + ", \"end_time\": 0, "
                + "\"state\": {\"life_cycle_state\": \"PENDING\", \"state_message\": \"Waiting for cluster.\", "
                + "\"user_cancelled_or_timedout\": false}, \"tasks\": [{\"task_key\": \"t\", \"state\": "
                + "{\"life_cycle_state\": \"PENDING\", \"state_message\": \"Waiting for cluster.\", "
                + "\"user_cancelled_or_timedout\": false}}]}"),
                call("GET", "/api/2.1/jobs/runs/get?run_id=1001", null).body());
        assertEquals(List.of("RUNNING In run", "TERMINATED/SUCCESS", "TERMINATED/SUCCESS"),
                List.of(look(1001), look(1001), look(1001)), "by default a run goes on to succeed");
        assertEquals(NOW.toEpochMilli(), call("GET", "/api/2.2/jobs/runs/get?run_id=1001", null).body()
                .path("end_time").asLong());
    }

    @Test
    void aTokenUsedBeforeGivesItsRunAndStartsNothing() throws Exception {
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK);

        assertEquals(new Reply(200, json("{\"run_id\": 1001}")), call("POST", "/api/2.1/jobs/runs/submit",
                NOTEBOOK.replace("/Shared/clean", "/Shared/other")));
        assertEquals(new Reply(200, json("{\"run_id\": 1002}")), call("POST", "/api/2.1/jobs/runs/submit",
                NOTEBOOK.replace("k-1", "k-2")));
        assertEquals(new Reply(200, json("{\"run_id\": 1003}")), call("POST", "/api/2.1/jobs/runs/submit",
                NOTEBOOK.replace("\"idempotency_token\": \"k-1\", ", "")));
        assertEquals(List.of("/Shared/clean", "/Shared/clean", "/Shared/clean"), workspace.runs().stream()
                .map(run -> run.task().path("notebook_task").path("notebook_path").asText()).toList());
    }

    @Test
    void runNowRunsARegisteredJob() throws Exception {
        workspace.job(4512, "nightly orders");

        assertEquals(new Reply(200, json("{\"run_id\": 1001, \"number_in_job\": 1001}")), call("POST",
                "/api/2.1/jobs/run-now", "{\"job_id\": 4512, \"job_parameters\": {\"date\": \"2026-11-22\"}}"));
        SubmittedRun run = workspace.run(1001).orElseThrow();
        assertEquals(List.of(4512L, "JOB_RUN", "nightly orders", "2026-11-22"), List.of(run.jobId(), run.runType(),
                run.runName(), run.request().path("job_parameters").path("date").asText()));
    }

    @Test
    void whatTheApiRefusesIsAnsweredWithItsErrorBody() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{}", "Missing required field: tasks");
        refused.put("{\"tasks\": [{}]}", "Missing required field: task_key");
        refused.put("{\"tasks\": [{\"task_key\": \"t\"}]}", "Task t must have exactly one task type (notebook_task, "
                + "python_wheel_task, spark_jar_task, spark_python_task), not 0");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"notebook_task\": {}}]}", "Missing required field: "
                + "notebook_path");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"sql_task\": {}}]}", "Task t: the stand-in runs "
                + "notebook_task, spark_python_task, python_wheel_task and spark_jar_task, not sql_task");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"spark_python_task\": {\"python_file\": \"a.py\"}}]}",
                "Task t: environment_key is required for a spark_python_task on serverless compute");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"spark_python_task\": {\"python_file\": \"a.py\"}, "
                + "\"environment_key\": \"e\"}]}", "Task t refers to environment e, which the run's environments do "
                + "not define");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"notebook_task\": {\"notebook_path\": \"/n\"}, "
                + "\"libraries\": [{\"whl\": \"x.whl\"}]}]}", "Task t: libraries are not supported on serverless "
                + "compute; name the dependencies in the run's environments");
        refused.put("{\"tasks\": [{\"task_key\": \"t\", \"notebook_task\": {\"notebook_path\": \"/n\"}, "
                + "\"existing_cluster_id\": \"c\", \"new_cluster\": {}}]}", "Task t names more than one compute: "
                + "existing_cluster_id, new_cluster");
        refused.put("{\"idempotency_token\": \"" + "k".repeat(65) + "\", \"tasks\": []}", "The idempotency token must "
                + "have at most 64 characters, not 65");
        for (Map.Entry<String, String> body : refused.entrySet()) {
            assertEquals(new Reply(400, json(workspace.errorBody(400, "INVALID_PARAMETER_VALUE", body.getValue()))),
                    call("POST", "/api/2.1/jobs/runs/submit", body.getKey()), body.getKey());
        }
        assertEquals(new Reply(400, json("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Job 7 does not "
                + "exist.\"}")), call("POST", "/api/2.1/jobs/run-now", "{\"job_id\": 7}"));
        assertEquals(new Reply(400, json("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Missing "
                + "required field: job_id\"}")), call("POST", "/api/2.1/jobs/run-now", "{}"));
        assertEquals(new Reply(400, json("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Run 5 does not "
                + "exist.\"}")), call("GET", "/api/2.1/jobs/runs/get?run_id=5", null));
        assertEquals(new Reply(400, json("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Run 5 does not "
                + "exist.\"}")), call("POST", "/api/2.1/jobs/runs/cancel", "{\"run_id\": 5}"));
        assertEquals(new Reply(400, json("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Missing "
                + "required field: run_id\"}")), call("GET", "/api/2.1/jobs/runs/get", null));
        assertEquals(400, call("POST", "/api/2.1/jobs/runs/submit", "{not json").status());
        assertEquals("MALFORMED_REQUEST", call("POST", "/api/2.1/jobs/runs/submit", "{not json").body()
                .path("error_code").asText());
        assertEquals(new Reply(404, json("{\"error_code\": \"ENDPOINT_NOT_FOUND\", \"message\": \"No API found for "
                + "'GET /api/2.1/jobs/list'\"}")), call("GET", "/api/2.1/jobs/list", null));
        assertEquals(new Reply(401, json("{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"the bearer token is "
                + "missing or not valid\"}")), call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK, null));
        assertEquals(List.of(), workspace.runs(), "nothing refused started a run");
    }

    @Test
    void aScriptIsPlayedToTheRunNamedByItsTokenOrItsName() throws Exception {
        workspace.play("k-1", StateStep.queued(), StateStep.failed("Task t failed: KeyError"));
        workspace.play("by-name", StateStep.internalError("Cluster launch failed."));
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK);
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK.replace("k-1", "k-2").replace("clean", "by-name"));

        assertEquals(List.of("QUEUED Waiting in the queue.", "TERMINATED/FAILED Task t failed: KeyError",
                "TERMINATED/FAILED Task t failed: KeyError"), List.of(look(1001), look(1001), look(1001)));
        assertEquals("INTERNAL_ERROR Cluster launch failed.", look(1002));
    }

    @Test
    void anExecutorEndsTheRunsItStarts() throws Exception {
        List<SubmittedRun> started = new CopyOnWriteArrayList<>();
        CompletableFuture<StateStep> outcome = new CompletableFuture<>();
        workspace.executor(run -> {
            started.add(run);
            return outcome;
        });
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK);

        assertEquals(List.of("PENDING Waiting for cluster.", "RUNNING In run", "RUNNING In run"),
                List.of(look(1001), look(1001), look(1001)), "running until the executor says otherwise");
        outcome.complete(StateStep.failed("exit code 3"));
        assertEquals("TERMINATED/FAILED exit code 3", look(1001));
        assertEquals(List.of(1001L), started.stream().map(SubmittedRun::runId).toList());
        assertEquals("/Shared/clean", started.get(0).task().path("notebook_task").path("notebook_path").asText());
    }

    @Test
    void anExecutorsExceptionFailsTheRunWithItsMessage() throws Exception {
        workspace.executor(run -> CompletableFuture.failedFuture(new IllegalStateException("python exited with 1")));
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK);
        look(1001);
        look(1001);

        assertEquals("TERMINATED/FAILED python exited with 1", look(1001));
    }

    @Test
    void cancelStopsTheExecutorAndEndsTheRunCanceled() throws Exception {
        CompletableFuture<StateStep> outcome = new CompletableFuture<>();
        workspace.executor(run -> outcome);
        call("POST", "/api/2.1/jobs/runs/submit", NOTEBOOK);
        look(1001);

        assertEquals(new Reply(200, json("{}")), call("POST", "/api/2.1/jobs/runs/cancel", "{\"run_id\": 1001}"));

        assertTrue(outcome.isCancelled(), "the executor is told");
        assertEquals(List.of("TERMINATING Run cancellation requested.", "TERMINATED/CANCELED Run cancelled."),
                List.of(look(1001), look(1001)));
        assertEquals(new Reply(200, json("{}")), call("POST", "/api/2.1/jobs/runs/cancel", "{\"run_id\": 1001}"));
        assertEquals("TERMINATED/CANCELED Run cancelled.", look(1001), "a cancel of a run that is over does nothing");
        assertTrue(call("GET", "/api/2.1/jobs/runs/get?run_id=1001", null).body().path("state")
                .path("user_cancelled_or_timedout").asBoolean());
    }
}
