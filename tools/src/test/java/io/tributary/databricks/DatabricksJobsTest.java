package io.tributary.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cloud.CallRetry;
import io.tributary.fetch.RetryPolicy;
import io.tributary.job.DatabricksWork;
import io.tributary.job.DatabricksWork.Cluster;
import io.tributary.job.DatabricksWork.Task;
import io.tributary.job.DatabricksWork.TaskType;
import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.job.SynapseWork;
import io.tributary.local.compute.LocalDatabricks;
import io.tributary.local.compute.LocalDatabricks.StateStep;
import io.tributary.local.compute.StandInServer;
import io.tributary.local.compute.StandInServer.Fault;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import io.tributary.run.Json;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * The Databricks client against the loopback Jobs API ({@link LocalDatabricks}) over real HTTP: the exact path and body
 * of each kind of run it starts, the token and its scope, idempotent resubmits (a lost answer included), the mapping
 * of each run state, and each failure's classified message, which never carries a token. Waits between attempts are
 * recorded, not slept.
 */
class DatabricksJobsTest {

    private static final Instant STARTED = Instant.parse("2026-11-22T07:32:42.512Z");
    private static final String KEY = "orders-20261122t073242z-a3f6fba34e-transform-1";
    private static final String NAME = "tributary orders/20261122T073242Z-a3f6fba34e transform";
    private static final String CLUSTER = "0601-123456-abcd123";
    /** 1 s doubling without jitter, four requests, a minute of waiting, 5 s per request. */
    private static final CallRetry RETRY = new CallRetry(4, Duration.ofSeconds(60), Duration.ofSeconds(5),
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(60), () -> 1.0,
                    Clock.systemUTC()));

    private final LocalDatabricks workspace = new LocalDatabricks(0, Clock.fixed(STARTED, ZoneOffset.UTC));
    private final Credential credential = new Credential();
    private final List<Duration> waits = new ArrayList<>();
    private final String where = "in Databricks workspace 127.0.0.1:" + workspace.uri().getPort();

    /**
     * Hands out the tokens it is given in turn ({@code eyJ.test-token-1} unless told), the last one again and again,
     * each valid for an hour, recording the scopes asked.
     */
    private static final class Credential implements TokenCredential {
        final List<String> scopes = new CopyOnWriteArrayList<>();
        final AtomicInteger issued = new AtomicInteger();
        private volatile List<String> tokens = List.of("eyJ.test-token-1");

        void handOut(String... next) {
            tokens = List.of(next);
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            scopes.addAll(request.getScopes());
            int at = Math.min(issued.getAndIncrement(), tokens.size() - 1);
            return Mono.just(new AccessToken(tokens.get(at), OffsetDateTime.now().plusHours(1)));
        }
    }

    DatabricksJobsTest() {
        workspace.acceptToken("eyJ.test-token-1");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    private DatabricksJobs jobs(CallRetry retry) {
        return new DatabricksJobs(new DatabricksTarget(workspace.uri()), credential,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), retry, waits::add,
                Clock.systemUTC());
    }

    private DatabricksJobs jobs() {
        return jobs(RETRY);
    }

    private static JobSubmission submission(DatabricksWork work) {
        return new JobSubmission(KEY, NAME, work, Map.of("tributary.pipeline", "orders"), Duration.ofMinutes(30));
    }

    private static DatabricksWork oneTime(TaskType type, String target, String entryPoint, Cluster cluster,
                                          Map<String, String> parameters, List<String> args,
                                          List<Map<String, Object>> libraries) {
        return new DatabricksWork(null, new Task(type, target, entryPoint), cluster, parameters, args, libraries);
    }

    private static final DatabricksWork NOTEBOOK = oneTime(TaskType.NOTEBOOK, "/Shared/clean_orders", null,
            new Cluster(CLUSTER, null, false), Map.of("date", "2026-11-22"), List.of(), List.of());

    private JobHandle handle(long runId) {
        return new JobHandle("databricks", workspace.uri().toString(), String.valueOf(runId), KEY,
                workspace.uri() + "/#job/" + (runId - 1000 + 900_000) + "/run/" + runId, STARTED);
    }

    private List<String> calls() {
        return workspace.requests().stream().map(r -> r.method() + " " + r.path()
                + (r.query() == null ? "" : "?" + r.query())).toList();
    }

    private JsonNode body(int request) throws Exception {
        return Json.MAPPER.readTree(workspace.requests().get(request).body());
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    /** The failure {@code call} ends in, after checking that its message carries no token. */
    private static JobException failure(Executable call) {
        JobException e = assertThrows(JobException.class, call);
        assertFalse(e.getMessage().contains("test-token"), e.getMessage());
        return e;
    }

    // --- what is sent ---

    @Test
    void aNotebookOnAnExistingClusterIsOneTaskWithItsParametersAndTheKeyAsToken() throws Exception {
        DatabricksWork work = oneTime(TaskType.NOTEBOOK, "/Shared/clean_orders", null, new Cluster(CLUSTER, null, false),
                Map.of("date", "2026-11-22"), List.of(), List.of(Map.of("pypi", Map.of("package", "holidays==0.60"))));

        JobHandle handle = jobs().submit(submission(work));

        assertEquals(handle(1001), handle);
        assertEquals(List.of("POST /api/2.1/jobs/runs/submit", "GET /api/2.1/jobs/runs/get?run_id=1001"), calls());
        assertEquals(json("""
                {"run_name": "tributary orders/20261122T073242Z-a3f6fba34e transform",
                 "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "timeout_seconds": 1800,
                 "tasks": [{"task_key": "tributary",
                            "notebook_task": {"notebook_path": "/Shared/clean_orders",
                                              "base_parameters": {"date": "2026-11-22"}},
                            "existing_cluster_id": "0601-123456-abcd123",
                            "libraries": [{"pypi": {"package": "holidays==0.60"}}]}]}"""), body(0));
        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-1"),
                workspace.requests().stream().map(StandInServer.Request::authorization).toList());
        assertEquals(List.of("2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"), credential.scopes,
                "one token, for Azure Databricks' scope, kept for the second request");
        assertEquals(List.of(), waits);
    }

    @Test
    void aPythonFileOnANewJobClusterTakesTheClusterSpecAsItIs() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("spark_version", "15.4.x-scala2.12");
        spec.put("node_type_id", "Standard_DS3_v2");
        spec.put("num_workers", 2);
        spec.put("azure_attributes", Map.of("availability", "ON_DEMAND_AZURE"));
        DatabricksWork work = oneTime(TaskType.PYTHON, "dbfs:/jobs/orders/main.py", null, new Cluster(null, spec, false),
                Map.of(), List.of("--date", "2026-11-22"), List.of(Map.of("whl", "dbfs:/libs/orders-1.0-py3-none-any.whl")));

        jobs().submit(submission(work));

        assertEquals(json("""
                {"run_name": "tributary orders/20261122T073242Z-a3f6fba34e transform",
                 "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "timeout_seconds": 1800,
                 "tasks": [{"task_key": "tributary",
                            "spark_python_task": {"python_file": "dbfs:/jobs/orders/main.py",
                                                  "parameters": ["--date", "2026-11-22"]},
                            "new_cluster": {"spark_version": "15.4.x-scala2.12", "node_type_id": "Standard_DS3_v2",
                                            "num_workers": 2, "azure_attributes": {"availability": "ON_DEMAND_AZURE"}},
                            "libraries": [{"whl": "dbfs:/libs/orders-1.0-py3-none-any.whl"}]}]}"""), body(0));
    }

    @Test
    void aWheelOnServerlessRunsInAnEnvironmentHoldingItsLibraries() throws Exception {
        DatabricksWork work = oneTime(TaskType.WHEEL, "orders_etl", "main", new Cluster(null, null, true),
                Map.of("date", "2026-11-22"), List.of(), List.of(
                        Map.of("whl", "/Volumes/main/etl/libs/orders_etl-1.0-py3-none-any.whl"),
                        Map.of("pypi", Map.of("package", "holidays==0.60", "repo", "https://pypi.example.com/simple")),
                        Map.of("requirements", "/Workspace/etl/requirements.txt")));

        jobs().submit(submission(work));

        assertEquals(json("""
                {"run_name": "tributary orders/20261122T073242Z-a3f6fba34e transform",
                 "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "timeout_seconds": 1800,
                 "tasks": [{"task_key": "tributary",
                            "python_wheel_task": {"package_name": "orders_etl", "entry_point": "main",
                                                  "named_parameters": {"date": "2026-11-22"}},
                            "environment_key": "tributary"}],
                 "environments": [{"environment_key": "tributary",
                                   "spec": {"environment_version": "4",
                                            "dependencies": ["/Volumes/main/etl/libs/orders_etl-1.0-py3-none-any.whl",
                                                             "--extra-index-url https://pypi.example.com/simple",
                                                             "holidays==0.60",
                                                             "-r /Workspace/etl/requirements.txt"]}}]}"""), body(0));
    }

    @Test
    void aWheelTakesPositionalArgsAsParameters() throws Exception {
        DatabricksWork work = oneTime(TaskType.WHEEL, "orders_etl", "main", new Cluster(CLUSTER, null, false),
                Map.of(), List.of("2026-11-22"), List.of());

        jobs().submit(submission(work));

        assertEquals(json("""
                {"package_name": "orders_etl", "entry_point": "main", "parameters": ["2026-11-22"]}"""),
                body(0).path("tasks").path(0).path("python_wheel_task"));
    }

    @Test
    void aJarRunsItsMainClassFromItsJarLibrary() throws Exception {
        DatabricksWork work = oneTime(TaskType.JAR, "com.example.orders.Ingest", null, new Cluster(CLUSTER, null, false),
                Map.of(), List.of("2026-11-22", "full"), List.of(Map.of("jar", "dbfs:/jars/orders-ingest.jar")));

        jobs().submit(submission(work));

        assertEquals(json("""
                {"run_name": "tributary orders/20261122T073242Z-a3f6fba34e transform",
                 "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "timeout_seconds": 1800,
                 "tasks": [{"task_key": "tributary",
                            "spark_jar_task": {"main_class_name": "com.example.orders.Ingest",
                                               "parameters": ["2026-11-22", "full"]},
                            "existing_cluster_id": "0601-123456-abcd123",
                            "libraries": [{"jar": "dbfs:/jars/orders-ingest.jar"}]}]}"""), body(0));
    }

    @Test
    void aNotebookOnServerlessNamesNoComputeAtAll() throws Exception {
        DatabricksWork work = oneTime(TaskType.NOTEBOOK, "/Shared/clean_orders", null, new Cluster(null, null, true),
                Map.of(), List.of(), List.of());

        jobs().submit(new JobSubmission(KEY, NAME, work, Map.of(), Duration.ZERO));

        assertEquals(json("""
                {"run_name": "tributary orders/20261122T073242Z-a3f6fba34e transform",
                 "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "tasks": [{"task_key": "tributary", "notebook_task": {"notebook_path": "/Shared/clean_orders"}}]}"""),
                body(0), "no timeout: none sent; no parameters: none sent");
    }

    @Test
    void runNowRunsAJobByIdWithItsJobParameters() throws Exception {
        workspace.job(4512, "nightly orders");
        DatabricksWork work = new DatabricksWork(4512L, null, null, Map.of("date", "2026-11-22"), List.of(), List.of());

        JobHandle handle = jobs().submit(submission(work));

        assertEquals(List.of("POST /api/2.1/jobs/run-now", "GET /api/2.1/jobs/runs/get?run_id=1001"), calls());
        assertEquals(json("""
                {"job_id": 4512, "idempotency_token": "orders-20261122t073242z-a3f6fba34e-transform-1",
                 "job_parameters": {"date": "2026-11-22"}}"""), body(0));
        assertEquals(new JobHandle("databricks", workspace.uri().toString(), "1001", KEY,
                workspace.uri() + "/#job/4512/run/1001", STARTED), handle);
    }

    @Test
    void runNowOfAJobThatIsNotThereIsRejectedWithDatabricksWords() {
        DatabricksWork work = new DatabricksWork(4512L, null, null, Map.of(), List.of(), List.of());

        JobException e = failure(() -> jobs().submit(submission(work)));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Azure Databricks refused to run job 4512 (idempotency token " + KEY + ") " + where
                + ": HTTP 400, INVALID_PARAMETER_VALUE: Job 4512 does not exist.", e.getMessage());
    }

    @Test
    void workTheApiCannotTakeIsRefusedBeforeAnythingIsSent() {
        Map<DatabricksWork, String> refused = new LinkedHashMap<>();
        refused.put(oneTime(TaskType.NOTEBOOK, "/Shared/clean_orders", null, new Cluster(CLUSTER, null, false),
                Map.of(), List.of("2026-11-22"), List.of()), "submit one-time run '" + NAME + "' of notebook "
                + "/Shared/clean_orders (idempotency token " + KEY + ") " + where + ": notebook /Shared/clean_orders "
                + "takes named parameters (its widgets' base_parameters), not positional args [2026-11-22]");
        refused.put(oneTime(TaskType.PYTHON, "dbfs:/main.py", null, new Cluster(CLUSTER, null, false),
                Map.of("date", "2026-11-22"), List.of(), List.of()), "submit one-time run '" + NAME + "' of python "
                + "file dbfs:/main.py (idempotency token " + KEY + ") " + where + ": Python file dbfs:/main.py takes "
                + "positional args (its command line), not named parameters [date]");
        refused.put(oneTime(TaskType.NOTEBOOK, "/Shared/clean_orders", null, new Cluster(null, null, true),
                Map.of(), List.of(), List.of(Map.of("whl", "/Volumes/main/etl/libs/x.whl"))), "submit one-time run '"
                + NAME + "' of notebook /Shared/clean_orders (idempotency token " + KEY + ") " + where + ": a notebook "
                + "on serverless compute installs its libraries itself (%pip install, or the notebook's environment): "
                + "leave libraries out, or run it on a cluster");
        refused.put(oneTime(TaskType.PYTHON, "dbfs:/main.py", null, new Cluster(null, null, true), Map.of(), List.of(),
                List.of(Map.of("maven", Map.of("coordinates", "org.example:lib:1.0")))), "submit one-time run '" + NAME
                + "' of python file dbfs:/main.py (idempotency token " + KEY + ") " + where + ": a maven library "
                + "cannot be installed on serverless compute, which takes wheels, PyPI packages, requirements files "
                + "and JARs: run the task on a cluster");
        refused.put(oneTime(TaskType.WHEEL, "orders_etl", null, new Cluster(CLUSTER, null, false), Map.of(), List.of(),
                List.of()), "submit one-time run '" + NAME + "' of wheel orders_etl entry point null (idempotency "
                + "token " + KEY + ") " + where + ": wheel orders_etl needs its entry point: a name in the package's "
                + "entry_points metadata, or a function of the package");
        refused.put(new DatabricksWork(4512L, null, null, Map.of(), List.of("x"), List.of()), "run job 4512 "
                + "(idempotency token " + KEY + ") " + where + ": job 4512 takes named job parameters only: "
                + "positional args and libraries belong to one-time runs (a job's tasks name their own libraries)");
        refused.forEach((work, message) -> {
            JobException e = failure(() -> jobs().submit(submission(work)));
            assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
            assertEquals("rejected: cannot " + message, e.getMessage());
        });
        JobException synapse = failure(() -> jobs().submit(new JobSubmission(KEY, NAME, new SynapseWork("pool1",
                "abfss://jobs@lake.dfs.core.windows.net/main.py", null, null, null, null, null, null, null, 0, null,
                0, 0), Map.of(), Duration.ofMinutes(5))));
        assertEquals("rejected: cannot run synapse work (spark batch abfss://jobs@lake.dfs.core.windows.net/main.py on "
                + "pool pool1) " + where + ": it is not Databricks work",
                synapse.getMessage());
        assertEquals(List.of(), workspace.requests());
    }

    // --- idempotency ---

    @Test
    void theSameKeyTwiceStartsOneRunAndGivesTheSameHandle() throws Exception {
        DatabricksJobs jobs = jobs();

        JobHandle first = jobs.submit(submission(NOTEBOOK));
        JobHandle second = jobs().submit(submission(NOTEBOOK));

        assertEquals(first, second);
        assertEquals(1, workspace.runs().size());
        assertEquals(List.of("POST /api/2.1/jobs/runs/submit", "GET /api/2.1/jobs/runs/get?run_id=1001",
                "POST /api/2.1/jobs/runs/submit", "GET /api/2.1/jobs/runs/get?run_id=1001"), calls());
        assertEquals(body(0), body(2));
    }

    @Test
    void aSubmitWhoseAnswerWasLostIsSentAgainAndFindsTheRunItStarted() throws Exception {
        workspace.fault(new Fault.Lost());

        JobHandle handle = jobs().submit(submission(NOTEBOOK));

        assertEquals(handle(1001), handle);
        assertEquals(1, workspace.runs().size(), "the second request found the run the first started");
        assertEquals(List.of("POST /api/2.1/jobs/runs/submit", "POST /api/2.1/jobs/runs/submit",
                "GET /api/2.1/jobs/runs/get?run_id=1001"), calls());
        assertEquals(body(0), body(1));
        assertEquals(List.of(Duration.ofSeconds(1)), waits);
    }

    @Test
    void aSubmitLostBeyondTheAttemptsIsUnavailableAndTheNextDeliveryFindsTheRun() {
        CallRetry once = new CallRetry(1, Duration.ofSeconds(60), Duration.ofSeconds(5), RETRY.backoff());
        workspace.fault(new Fault.Lost());

        JobException e = failure(() -> jobs(once).submit(submission(NOTEBOOK)));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertTrue(e.getMessage().startsWith("unavailable: could not submit one-time run '" + NAME + "' of notebook "
                + "/Shared/clean_orders (idempotency token " + KEY + ") " + where + ": Azure Databricks (127.0.0.1) "
                + "cannot be reached ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(" after 1 request; a later delivery of the work tries again"),
                e.getMessage());
        assertEquals(1, workspace.runs().size(), "the lost request started the run");

        assertEquals(handle(1001), jobs(once).submit(submission(NOTEBOOK)));
        assertEquals(1, workspace.runs().size());
    }

    @Test
    void findFindsNothingSinceASecondSubmitIsTheLookUp() {
        jobs().submit(submission(NOTEBOOK));

        assertEquals(Optional.empty(), jobs().find(submission(NOTEBOOK)));
        assertEquals(2, workspace.requests().size(), "find asks nothing");
    }

    // --- states ---

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of(StateStep.pending(), new JobState(JobPhase.QUEUED, "PENDING", "Waiting for cluster.", "")),
                Arguments.of(StateStep.queued(), new JobState(JobPhase.QUEUED, "QUEUED", "Waiting in the queue.", "")),
                Arguments.of(StateStep.running(), new JobState(JobPhase.RUNNING, "RUNNING", "In run", "")),
                Arguments.of(StateStep.of("TERMINATING", null, ""), new JobState(JobPhase.RUNNING, "TERMINATING", "",
                        "")),
                Arguments.of(StateStep.succeeded(), new JobState(JobPhase.SUCCEEDED, "TERMINATED/SUCCESS", "", "")),
                Arguments.of(StateStep.failed("Task tributary failed with message: KeyError: 'order_id'"),
                        new JobState(JobPhase.FAILED, "TERMINATED/FAILED", "Task tributary failed with message: "
                                + "KeyError: 'order_id'", "")),
                Arguments.of(StateStep.canceled("Run cancelled by a user."), new JobState(JobPhase.CANCELED,
                        "TERMINATED/CANCELED", "Run cancelled by a user.", "")),
                Arguments.of(StateStep.timedOut(), new JobState(JobPhase.FAILED, "TERMINATED/TIMEDOUT",
                        "Run timed out.", "")),
                Arguments.of(StateStep.internalError("Cluster 0601-123456-abcd123 was terminated: cloud provider "
                        + "launch failure"), new JobState(JobPhase.FAILED, "INTERNAL_ERROR", "Cluster "
                        + "0601-123456-abcd123 was terminated: cloud provider launch failure", "")),
                Arguments.of(StateStep.skipped("An active run of this job exists."), new JobState(JobPhase.FAILED,
                        "SKIPPED", "An active run of this job exists.", "")),
                Arguments.of(StateStep.of("A_STATE_ADDED_LATER", null, ""), new JobState(JobPhase.RUNNING,
                        "A_STATE_ADDED_LATER", "", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void eachStateOfARunIsMapped(StateStep step, JobState expected) {
        workspace.play(KEY, StateStep.pending(), step);
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));

        JobState state = jobs.state(handle);

        assertEquals(new JobState(expected.phase(), expected.state(), expected.message(), handle.link()), state);
        assertEquals("GET /api/2.1/jobs/runs/get?run_id=1001", calls().get(2));
    }

    @Test
    void aRunGoesPendingRunningThenSucceedsByDefault() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK)); // the handle's look saw PENDING

        assertEquals(List.of(JobPhase.RUNNING, JobPhase.SUCCEEDED, JobPhase.SUCCEEDED),
                Stream.generate(() -> jobs.state(handle).phase()).limit(3).toList());
    }

    // --- cancel ---

    @Test
    void cancelEndsARunThatIsGoing() throws Exception {
        workspace.play(KEY, StateStep.pending(), StateStep.running()); // runs until cancelled
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        assertEquals(JobPhase.RUNNING, jobs.state(handle).phase());
        assertEquals(JobPhase.RUNNING, jobs.state(handle).phase());

        jobs.cancel(handle);

        assertEquals("POST /api/2.1/jobs/runs/cancel", calls().get(4));
        assertEquals(json("{\"run_id\": 1001}"), body(4));
        assertEquals(new JobState(JobPhase.RUNNING, "TERMINATING", "Run cancellation requested.", handle.link()),
                jobs.state(handle));
        assertEquals(new JobState(JobPhase.CANCELED, "TERMINATED/CANCELED", "Run cancelled.", handle.link()),
                jobs.state(handle));
    }

    @Test
    void cancelOfARunThatIsOverLeavesItAsItIs() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        jobs.state(handle);
        assertEquals(JobPhase.SUCCEEDED, jobs.state(handle).phase());

        jobs.cancel(handle);

        assertEquals(JobPhase.SUCCEEDED, jobs.state(handle).phase());
    }

    @Test
    void aCancelRefusedBecauseTheRunIsOverIsNothing() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        jobs.state(handle);
        jobs.state(handle);
        workspace.answerNext(request -> workspace.error(400, "INVALID_STATE", "Run 1001 is already in a terminal "
                + "state."));

        jobs.cancel(handle);

        assertEquals(List.of("POST /api/2.1/jobs/runs/cancel", "GET /api/2.1/jobs/runs/get?run_id=1001"),
                calls().subList(4, 6), "the refusal is checked against the run's state");
    }

    @Test
    void aCancelRefusedOfARunThatIsGoingIsRejected() {
        workspace.play(KEY, StateStep.running());
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        workspace.answerNext(request -> workspace.error(400, "INVALID_STATE", "Run 1001 cannot be cancelled now."));

        JobException e = failure(() -> jobs.cancel(handle));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Azure Databricks refused to cancel run 1001 " + where + ": HTTP 400, INVALID_STATE: "
                + "Run 1001 cannot be cancelled now.", e.getMessage());
    }

    // --- failures ---

    @Test
    void throttlingIsWaitedOutAsRetryAfterAsks() throws Exception {
        workspace.fault(new Fault.Status(429, 7), new Fault.Status(429, 3));

        assertEquals(handle(1001), jobs().submit(submission(NOTEBOOK)));

        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(3)), waits);
        assertEquals(List.of("POST /api/2.1/jobs/runs/submit", "POST /api/2.1/jobs/runs/submit",
                "POST /api/2.1/jobs/runs/submit", "GET /api/2.1/jobs/runs/get?run_id=1001"), calls());
        assertEquals(body(0), body(2), "the submit is sent again as it was, with its token");
        assertEquals(1, workspace.runs().size());
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackOff() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        workspace.fault(new Fault.Status(503, null), new Fault.Status(500, null));

        assertEquals(JobPhase.RUNNING, jobs.state(handle).phase());

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
    }

    @Test
    void serverErrorsBeyondTheAttemptsLeaveItToALaterDelivery() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        Fault.Status busy = new Fault.Status(503, null);
        workspace.fault(busy, busy, busy, busy);

        JobException e = failure(() -> jobs.state(handle));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not get the state of run 1001 " + where + ": Azure Databricks (127.0.0.1) "
                + "answered HTTP 503 (TEMPORARILY_UNAVAILABLE: played by the stand-in) after 4 requests over 7 s; a "
                + "later delivery of the work tries again", e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
    }

    @Test
    void aBusyWorkspaceIsUnavailableWhateverTheStatus() {
        workspace.answerNext(request -> workspace.error(400, "COULD_NOT_ACQUIRE_LOCK", "Could not acquire a lock on "
                + "the run queue."));

        JobException e = failure(() -> jobs().submit(submission(NOTEBOOK)));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not submit one-time run '" + NAME + "' of notebook /Shared/clean_orders "
                + "(idempotency token " + KEY + ") " + where + ": Azure Databricks is busy (HTTP 400, "
                + "COULD_NOT_ACQUIRE_LOCK: Could not acquire a lock on the run queue.); a later delivery of the work "
                + "tries again", e.getMessage());
    }

    @Test
    void aSlowAnswerBeyondTheTimeoutIsUnavailable() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        CallRetry quick = new CallRetry(2, Duration.ofSeconds(60), Duration.ofMillis(300), RETRY.backoff());
        workspace.fault(new Fault.Slow(Duration.ofSeconds(2)), new Fault.Slow(Duration.ofSeconds(2)));

        JobException e = failure(() -> jobs(quick).state(handle));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not get the state of run 1001 " + where + ": Azure Databricks (127.0.0.1) did "
                + "not answer within 0.3 s after 2 requests over 1 s; a later delivery of the work tries again",
                e.getMessage());
    }

    @Test
    void aRefusedTokenIsReplacedOnce() {
        credential.handOut("eyJ.test-token-1", "eyJ.test-token-2");
        workspace.acceptToken("eyJ.test-token-2"); // the first was revoked

        assertEquals(handle(1001), jobs().submit(submission(NOTEBOOK)));

        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-2", "Bearer eyJ.test-token-2"),
                workspace.requests().stream().map(StandInServer.Request::authorization).toList());
        assertEquals(2, credential.issued.get());
    }

    @Test
    void aTokenRefusedTwiceIsACredentialsFailureNamingTheSetting() {
        workspace.acceptToken("a token of another identity");

        JobException e = failure(() -> jobs().submit(submission(NOTEBOOK)));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot submit one-time run '" + NAME + "' of notebook /Shared/clean_orders "
                + "(idempotency token " + KEY + ") " + where + ": the workspace refused the app's identity (HTTP 401, "
                + "UNAUTHENTICATED: the bearer token is missing or not valid): the identity must be a user of the "
                + "workspace (add the app's managed identity, which AzureWebJobsStorage__clientId names when it is "
                + "user-assigned, as a service principal in the workspace's settings, Identity and access), of the "
                + "workspace's tenant, and allowed to run jobs: let it run the work: Can Attach To (or Can Restart) on "
                + "cluster 0601-123456-abcd123, and read access to the notebook /Shared/clean_orders; "
                + "TRIBUTARY_DATABRICKS_URL names the workspace (" + workspace.uri() + " now)", e.getMessage());
        assertEquals(2, workspace.requests().size(), "one fresh token, then no more");
    }

    @Test
    void aForbiddenRunNowNamesThePermissionOnTheJob() {
        workspace.job(4512, "nightly orders");
        workspace.answerNext(request -> StandInServer.Answer.json(403,
                "{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"User 4f1c does not have Manage Run or Owner or "
                        + "Admin permissions on job 4512\"}"));

        JobException e = failure(() -> jobs().submit(submission(new DatabricksWork(4512L, null, null, Map.of(),
                List.of(), List.of()))));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot run job 4512 (idempotency token " + KEY + ") " + where + ": the workspace "
                + "refused the app's identity (HTTP 403, PERMISSION_DENIED: User 4f1c does not have Manage Run or Owner "
                + "or Admin permissions on job 4512): the identity must be a user of the workspace (add the app's "
                + "managed identity, which AzureWebJobsStorage__clientId names when it is user-assigned, as a service "
                + "principal in the workspace's settings, Identity and access), of the workspace's tenant, and allowed "
                + "to run jobs: give it Can Manage Run on job 4512; TRIBUTARY_DATABRICKS_URL names the workspace ("
                + workspace.uri() + " now)", e.getMessage());
    }

    @Test
    void aForbiddenReadWithANumberForItsCodeIsACredentialsFailure() {
        DatabricksJobs jobs = jobs();
        JobHandle handle = jobs.submit(submission(NOTEBOOK));
        workspace.answerNext(request -> StandInServer.Answer.json(403,
                "{\"error_code\": 403, \"message\": \"Invalid access token.\"}"));

        JobException e = failure(() -> jobs.state(handle));

        assertEquals(Kind.CREDENTIALS, e.kind());
        assertTrue(e.getMessage().startsWith("credentials: cannot get the state of run 1001 " + where + ": the "
                + "workspace refused the app's identity (HTTP 403, Invalid access token.): "), e.getMessage());
        assertTrue(e.getMessage().contains("give it Can View on the run's job (the identity that submitted a one-time "
                + "run may read it)"), e.getMessage());
    }

    @Test
    void aRunDatabricksDoesNotKnowIsRejectedWithItsMessage() {
        JobHandle unknown = new JobHandle("databricks", workspace.uri().toString(), "999", KEY, "", STARTED);

        JobException e = failure(() -> jobs().state(unknown));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Azure Databricks refused to get the state of run 999 " + where + ": HTTP 400, "
                + "INVALID_PARAMETER_VALUE: Run 999 does not exist.", e.getMessage());

        workspace.answerNext(request -> workspace.error(404, "RESOURCE_DOES_NOT_EXIST", "Run 999 was removed."));
        JobException removed = failure(() -> jobs().cancel(unknown));
        assertEquals("rejected: Azure Databricks refused to cancel run 999 " + where + ": HTTP 404, "
                + "RESOURCE_DOES_NOT_EXIST: Run 999 was removed.", removed.getMessage());
    }

    @Test
    void aHandleOfAnotherWorkspaceIsRefused() {
        JobHandle elsewhere = new JobHandle("databricks", "https://adb-1.2.azuredatabricks.net", "1001", KEY, "",
                STARTED);

        JobException e = failure(() -> jobs().state(elsewhere));

        assertEquals("rejected: job 1001 runs in databricks workspace https://adb-1.2.azuredatabricks.net, not in "
                + "Databricks workspace 127.0.0.1:" + workspace.uri().getPort() + " (TRIBUTARY_DATABRICKS_URL): set "
                + "the setting back to that workspace to follow it, or cancel it there", e.getMessage());
        assertEquals(List.of(), workspace.requests());
    }

    @Test
    void aTokenEchoedInAnErrorNeverReachesAMessage() {
        workspace.answerNext(request -> workspace.error(400, "INVALID_PARAMETER_VALUE", "Malformed header: "
                + request.authorization()));

        JobException e = failure(() -> jobs().submit(submission(NOTEBOOK)));

        assertEquals("rejected: Azure Databricks refused to submit one-time run '" + NAME + "' of notebook "
                + "/Shared/clean_orders (idempotency token " + KEY + ") " + where + ": HTTP 400, "
                + "INVALID_PARAMETER_VALUE: Malformed header: Bearer [token]", e.getMessage());
    }

    @Test
    void aHandleIsKeptWithoutItsLinkWhenItsPageCannotBeRead() {
        workspace.answerNext(request -> StandInServer.Answer.json(200, "{\"run_id\": 1001}"));
        workspace.answerNext(request -> workspace.error(403, "PERMISSION_DENIED", "no read"));
        Instant before = Instant.now();

        JobHandle handle = jobs().submit(submission(NOTEBOOK));

        assertEquals(List.of("1001", ""), List.of(handle.id(), handle.link()));
        assertFalse(handle.submittedAt().isBefore(before), "the time falls back to the client's clock");
    }

    @Test
    void theClientSaysWhereItRunsAndNeverATokenAfterUse() {
        DatabricksJobs jobs = jobs();
        jobs.submit(submission(NOTEBOOK));

        assertEquals(List.of("databricks", workspace.uri().toString()), List.of(jobs.kind(), jobs.workspace()));
        assertEquals("Databricks jobs in Databricks workspace 127.0.0.1:" + workspace.uri().getPort(), jobs.toString());
    }
}
