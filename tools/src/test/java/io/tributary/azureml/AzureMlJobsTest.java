package io.tributary.azureml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import io.tributary.cloud.CallRetry;
import io.tributary.cloud.Loopback;
import io.tributary.fetch.RetryPolicy;
import io.tributary.job.AzureMlWork;
import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.job.SynapseWork;
import io.tributary.local.compute.LocalAzureMl;
import io.tributary.local.compute.StandInServer;
import io.tributary.local.compute.StandInServer.Fault;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import io.tributary.testing.TestCredential;

/**
 * The Azure ML jobs client against the loopback stand-in of ARM's jobs API ({@link LocalAzureMl}) over real HTTP:
 * every request's method, path, API version, body and bearer token, the scope the credential is asked for, submit once
 * per key (a second submit, a lost answer, a raced PUT), every status, throttling, 5xx, 401/403, a component the
 * workspace lacks, a slow answer, cancel; no message carries a token. Waits between attempts are recorded, not slept.
 */
class AzureMlJobsTest {

    private static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";
    private static final String WHERE = "in Azure ML workspace " + WORKSPACE;
    private static final String QUERY = "api-version=2025-09-01";
    private static final String KEY = "orders-20261122t073242z-a3f6-train-1";
    private static final String JOB = WORKSPACE + "/jobs/" + KEY;
    private static final Instant CREATED = Instant.parse("2026-11-22T07:40:00Z");
    private static final String STUDIO = "https://ml.azure.com/runs/" + KEY + "?wsid=" + WORKSPACE;
    private static final String DATA = "azureml://datastores/tributary_training/paths/orders/train/v7/";
    private static final Map<String, String> TAGS = Map.of("tributary.pipeline", "orders",
            "tributary.run-id", "20261122T073242Z-a3f6fba34e", "tributary.step", "train");
    /** 1 s doubling without jitter, four requests, a minute of waiting, 2 s per request. */
    private static final CallRetry RETRY = retry(4, Duration.ofSeconds(2));

    private final LocalAzureMl workspace = new LocalAzureMl(0, WORKSPACE, Clock.fixed(CREATED, ZoneOffset.UTC))
            .component("train_model", "3").component("nightly_pipeline", "4").compute("cpu-cluster");
    private final TestCredential credential = new TestCredential();
    private final List<Duration> waits = new ArrayList<>();
    private AzureMlJobs client;

    AzureMlJobsTest() {
        workspace.acceptToken("eyJ.test-token-1");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    private static CallRetry retry(int attempts, Duration timeout) {
        return new CallRetry(attempts, Duration.ofSeconds(60), timeout, new RetryPolicy(Duration.ofSeconds(1),
                Duration.ofSeconds(20), Duration.ofSeconds(60), () -> 1.0, Clock.systemUTC()));
    }

    private AzureMlTarget target() {
        return new AzureMlTarget(AzureMlWorkspace.parse(WORKSPACE), workspace.uri());
    }

    private AzureMlJobs jobs(CallRetry retry, TokenCredential tokens) {
        return new AzureMlJobs(target(), tokens, HttpClient.newHttpClient(), retry, waits::add,
                Clock.fixed(Instant.parse("2026-11-22T07:39:59Z"), ZoneOffset.UTC));
    }

    /** The client under test: one, as the app has one, keeping its token. */
    private AzureMlJobs jobs() {
        if (client == null) {
            client = jobs(RETRY, credential);
        }
        return client;
    }

    /** A command component training on the dataset just committed, on a cluster. */
    private static JobSubmission training() {
        Map<String, AzureMlWork.Input> inputs = new LinkedHashMap<>();
        inputs.put("training_data", new AzureMlWork.Input("mltable", "azureml:orders-train:7"));
        inputs.put("raw", new AzureMlWork.Input("uri_folder", DATA));
        inputs.put("epochs", new AzureMlWork.Input("literal", "10"));
        return new JobSubmission(KEY, "tributary orders/20261122T073242Z-a3f6fba34e train",
                new AzureMlWork("azureml:train_model:3", false, "cpu-cluster", "orders-training", inputs,
                        Map.of("model", "mlflow_model")), TAGS, Duration.ofHours(2));
    }

    private static JobSubmission training(String component) {
        JobSubmission base = training();
        AzureMlWork work = (AzureMlWork) base.work();
        return new JobSubmission(KEY, base.name(), new AzureMlWork(component, false, work.cluster(),
                work.experiment(), work.inputs(), work.outputs()), TAGS, base.timeout());
    }

    private static final String TRAINING_BODY = "{\"properties\":{\"jobType\":\"Pipeline\",\"displayName\":"
            + "\"tributary orders/20261122T073242Z-a3f6fba34e train\",\"experimentName\":\"orders-training\","
            + "\"tags\":{\"tributary.pipeline\":\"orders\",\"tributary.run-id\":\"20261122T073242Z-a3f6fba34e\","
            + "\"tributary.step\":\"train\"},"
            + "\"inputs\":{\"training_data\":{\"jobInputType\":\"mltable\",\"uri\":\"" + WORKSPACE
            + "/data/orders-train/versions/7\"},\"raw\":{\"jobInputType\":\"uri_folder\",\"uri\":\"" + DATA + "\"},"
            + "\"epochs\":{\"jobInputType\":\"literal\",\"value\":\"10\"}},"
            + "\"outputs\":{\"model\":{\"jobOutputType\":\"mlflow_model\"}},"
            + "\"settings\":{\"default_compute\":\"" + WORKSPACE + "/computes/cpu-cluster\"},"
            + "\"jobs\":{\"tributary\":{\"type\":\"command\",\"name\":\"tributary\",\"componentId\":\"" + WORKSPACE
            + "/components/train_model/versions/3\",\"inputs\":{"
            + "\"training_data\":{\"job_input_type\":\"literal\",\"value\":\"${{parent.inputs.training_data}}\"},"
            + "\"raw\":{\"job_input_type\":\"literal\",\"value\":\"${{parent.inputs.raw}}\"},"
            + "\"epochs\":{\"job_input_type\":\"literal\",\"value\":\"${{parent.inputs.epochs}}\"}},"
            + "\"outputs\":{\"model\":{\"type\":\"literal\",\"value\":\"${{parent.outputs.model}}\"}},"
            + "\"limits\":{\"job_limits_type\":\"Command\",\"timeout\":\"PT2H\"}}}}}";

    private static JobHandle handle() {
        return new JobHandle("azureml", WORKSPACE, KEY, KEY, STUDIO, CREATED);
    }

    /** The failure {@code call} ends in, after checking that its message carries no token. */
    private static JobException failure(Executable call) {
        JobException e = assertThrows(JobException.class, call);
        assertFalse(e.getMessage().contains(TestCredential.TOKEN_TEXT), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(TestCredential.TOKEN_TEXT));
        return e;
    }

    private List<String> calls() {
        return workspace.requests().stream().map(r -> r.method() + " " + r.path().substring(WORKSPACE.length()))
                .toList();
    }

    /** No fault: the request is answered as it should be. */
    private static Fault none() {
        return new Fault.Slow(Duration.ZERO);
    }

    @Test
    void aCommandComponentRunsAsAOneNodePipelineJobOnAClusterWithTheAppsToken() {
        JobHandle job = jobs().submit(training());

        assertEquals(handle(), job, "named by the key, linked to the studio, created when the workspace says");
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY), calls());
        for (StandInServer.Request request : workspace.requests()) {
            assertEquals(List.of(JOB, QUERY, "Bearer eyJ.test-token-1"),
                    List.of(request.path(), request.query(), request.authorization()));
        }
        assertEquals("", workspace.requests().get(0).body());
        assertEquals(TRAINING_BODY, workspace.requests().get(1).body());
        assertEquals(List.of("http://127.0.0.1/.default"), credential.scopes, "the token is for ARM's scope");
        assertEquals(Optional.of("NotStarted"), workspace.status(KEY));
        assertEquals(List.of(), waits);
    }

    @Test
    void aPipelineComponentRunsAsAPipelineJobOnServerlessCompute() {
        String component = WORKSPACE + "/components/nightly_pipeline/versions/4";
        JobSubmission nightly = new JobSubmission(KEY, "tributary orders/20261122T073242Z-a3f6fba34e report",
                new AzureMlWork(component, true, null, null, Map.of("cutoff", new AzureMlWork.Input("literal",
                        "2026-11-22")), Map.of("report", "uri_folder")), Map.of("tributary.step", "report"),
                Duration.ofMinutes(30));

        assertEquals(handle(), jobs().submit(nightly));

        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY), calls());
        assertEquals("{\"properties\":{\"jobType\":\"Pipeline\",\"displayName\":\"tributary orders/"
                + "20261122T073242Z-a3f6fba34e report\",\"experimentName\":\"tributary\",\"tags\":{\"tributary.step\":"
                + "\"report\"},\"inputs\":{\"cutoff\":{\"jobInputType\":\"literal\",\"value\":\"2026-11-22\"}},"
                + "\"outputs\":{\"report\":{\"jobOutputType\":\"uri_folder\"}},\"settings\":{},"
                + "\"componentId\":\"" + component + "\",\"jobs\":{}}}", workspace.requests().get(1).body(),
                "the component's resource id as it is, no compute: serverless");
    }

    @Test
    void theSameKeySubmittedTwiceStartsOneJob() {
        JobHandle first = jobs().submit(training());
        JobHandle second = jobs().submit(training());

        assertEquals(first, second);
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY), calls(),
                "the second finds the job by its name and sends nothing");
    }

    @Test
    void aPutWhoseAnswerWasLostIsFoundByTheNextSubmit() {
        workspace.fault(none(), new Fault.Lost());

        JobException lost = failure(() -> jobs().submit(training()));
        assertEquals(Kind.UNAVAILABLE, lost.kind());
        assertTrue(lost.retryable());
        assertTrue(lost.getMessage().startsWith("unavailable: could not submit job " + KEY + " (component "
                + "azureml:train_model:3) " + WHERE + ": Azure Resource Manager (127.0.0.1) cannot be reached ("),
                lost.getMessage());
        assertTrue(lost.getMessage().endsWith("); it may have been done, so the next delivery of the work looks for "
                + "it before asking again"), lost.getMessage());
        assertEquals(Optional.of("NotStarted"), workspace.status(KEY), "the workspace did start it");

        assertEquals(handle(), jobs().submit(training()));
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY), calls(),
                "one PUT: the next delivery found the job");
        assertEquals(Optional.of(handle()), jobs().find(training()));
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 400})
    void aDuplicatePutThatRacedIsAdopted(int status) {
        workspace.conflicts(status, true);
        AtomicReference<JobHandle> other = new AtomicReference<>();
        workspace.beforeNextPut(() -> other.set(jobs(RETRY, new TestCredential()).submit(training())));

        JobHandle job = jobs().submit(training());

        assertEquals(handle(), job);
        assertEquals(handle(), other.get(), "the other delivery started it");
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY, "PUT /jobs/" + KEY,
                "GET /jobs/" + KEY), calls(), "ours: GET, PUT (refused: already exists), GET adopting the job the "
                + "other delivery (GET, PUT) started");
    }

    @Test
    void anIdenticalPutThatRacedIsAnsweredWithTheJob() {
        workspace.beforeNextPut(() -> jobs(RETRY, new TestCredential()).submit(training()));

        assertEquals(handle(), jobs().submit(training()));
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY, "PUT /jobs/" + KEY),
                calls(), "the service answers an identical PUT 200 with the job (inferred), taken as it is");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aNameTakenByAJobOfAnotherComponentIsRefusedNotAdopted(boolean raced) {
        Runnable other = () -> jobs(RETRY, new TestCredential()).submit(training("azureml:nightly_pipeline:4"));
        if (raced) {
            workspace.beforeNextPut(other);
        } else {
            other.run();
        }

        JobException e = failure(() -> jobs().submit(training()));
        assertEquals(Kind.REJECTED, e.kind());
        assertFalse(e.retryable());
        assertEquals("rejected: job " + KEY + " " + WHERE + " runs " + WORKSPACE + "/components/"
                + "nightly_pipeline/versions/4, not this submission's component azureml:train_model:3: a job's name is "
                + "unique in a workspace, and another job (another pipeline's, or one made by hand) has this one; "
                + "delete that job, or run the pipeline in another workspace",
                e.getMessage());
        assertEquals(raced ? List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY, "PUT /jobs/" + KEY,
                "GET /jobs/" + KEY) : List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY), calls(),
                raced ? "ours: GET, PUT refused (400: already exists, with other content), GET: another component"
                        : "ours: GET: another component; nothing put");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NotStarted|QUEUED|",
        "Starting|QUEUED|",
        "Provisioning|QUEUED|",
        "Preparing|QUEUED|",
        "Queued|QUEUED|",
        "Running|RUNNING|",
        "Finalizing|RUNNING|",
        "CancelRequested|RUNNING|cancelling",
        "Completed|SUCCEEDED|",
        "Failed|FAILED|the job failed; Azure Resource Manager does not say why, the job's page in the studio does",
        "Canceled|CANCELED|",
        "NotResponding|RUNNING|the job's heartbeat is lost; it may recover, else the step's timeout cancels it",
        "Paused|RUNNING|the job is paused; it goes on when resumed, else the step's timeout cancels it",
        "Unknown|RUNNING|Azure ML reports the status Unknown: taken as running until the job says more, or the "
                + "step's timeout cancels it",
        "Hibernating|RUNNING|Azure ML reports status 'Hibernating', which Tributary does not know: taken as running "
                + "until the job says more, or the step's timeout cancels it"})
    void everyStatusMapsToAPhase(String status, JobPhase phase, String message) {
        workspace.script(KEY, status);
        JobHandle job = jobs().submit(training());

        assertEquals(new JobState(phase, status, message, STUDIO), jobs().state(job));
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY), calls());
    }

    @Test
    void aJobGoesFromNotStartedThroughQueuedAndRunningToCompletedAsItIsRead() {
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JobState state = jobs.state(job);
            seen.add(state.phase() + " " + state.state());
        }
        assertEquals(List.of("QUEUED Queued", "RUNNING Running", "SUCCEEDED Completed", "SUCCEEDED Completed"), seen);
    }

    @Test
    void throttlingWaitsAsRetryAfterAsks() {
        JobHandle job = jobs().submit(training());
        workspace.fault(new Fault.Status(429, 7));

        assertEquals(JobPhase.QUEUED, jobs().state(job).phase());
        assertEquals(List.of(Duration.ofSeconds(7)), waits);
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "GET /jobs/" + KEY, "GET /jobs/" + KEY), calls());
    }

    @Test
    void aThrottledPutIsSentAgainAsRetryAfterAsks() {
        workspace.fault(none(), new Fault.Status(429, 3));

        assertEquals(handle(), jobs().submit(training()));
        assertEquals(List.of(Duration.ofSeconds(3)), waits, "a throttled PUT was not done: it is sent again");
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "PUT /jobs/" + KEY), calls());
    }

    @Test
    void fiveHundredsAreTriedAgainAfterABackOffThenGiveUpAsUnavailable() {
        JobHandle job = jobs().submit(training());
        workspace.fault(new Fault.Status(503, null), new Fault.Status(500, null));

        assertEquals(JobPhase.QUEUED, jobs().state(job).phase());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);

        waits.clear();
        workspace.fault(new Fault.Status(503, null), new Fault.Status(503, null), new Fault.Status(503, null),
                new Fault.Status(503, null));
        JobException e = failure(() -> jobs().state(job));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals("unavailable: could not ask after job " + KEY + " " + WHERE + ": Azure Resource Manager "
                + "(127.0.0.1) answered HTTP 503 (ServiceUnavailable: played by the stand-in) after 4 requests over "
                + "7 s; a later delivery of the work tries again", e.getMessage());
    }

    @Test
    void aFiveHundredAnsweringThePutIsNotSentAgain() {
        workspace.fault(none(), new Fault.Status(500, null));

        JobException e = failure(() -> jobs().submit(training()));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals("unavailable: could not submit job " + KEY + " " + WHERE + ": Azure Resource Manager answered "
                + "HTTP 500 (InternalServerError: played by the stand-in); the next delivery of the work looks for the "
                + "job before submitting it again", e.getMessage());
        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY), calls());
        assertEquals(List.of(), waits);
    }

    @Test
    void a401IsTriedOnceMoreWithAFreshToken() {
        workspace.acceptToken("eyJ.test-token-2");

        assertEquals(handle(), jobs().submit(training()));

        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-2", "Bearer eyJ.test-token-2"),
                workspace.requests().stream().map(StandInServer.Request::authorization).toList());
        assertEquals(2, credential.issued());
        assertEquals(List.of(), waits);
    }

    @Test
    void aTokenRefusedTwiceIsACredentialsFailure() {
        workspace.acceptToken("eyJ.some-other-token");

        JobException e = failure(() -> jobs().submit(training()));
        assertEquals(Kind.CREDENTIALS, e.kind());
        assertEquals("credentials: cannot read job " + KEY + " " + WHERE + ": ARM does not take the app's token "
                + "(HTTP 401, InvalidAuthenticationToken: the bearer token is missing or not valid): check that "
                + "TRIBUTARY_AZUREML_ENDPOINT is the workspace's cloud (" + workspace.uri() + " now) and that the "
                + "identity (AzureWebJobsStorage__clientId) is of the workspace's tenant", e.getMessage());
    }

    @Test
    void a403IsACredentialsFailureNamingTheRole() {
        workspace.fault(none(), new Fault.Status(403, null));

        JobException e = failure(() -> jobs().submit(training()));
        assertEquals(Kind.CREDENTIALS, e.kind());
        assertFalse(e.retryable());
        assertEquals("credentials: cannot submit job " + KEY + " " + WHERE + ": the app's identity may not submit "
                + "jobs there (HTTP 403, AuthorizationFailed: played by the stand-in): grant it the AzureML Data "
                + "Scientist role on the workspace (infra/main.bicep does, given azureMlWorkspaceId), then allow a few "
                + "minutes for the assignment to apply", e.getMessage());
    }

    @Test
    void aComponentTheWorkspaceLacksIsRejected() {
        JobException e = failure(() -> jobs().submit(training("azureml:train_model:9")));

        assertEquals(Kind.REJECTED, e.kind());
        assertFalse(e.retryable());
        assertEquals("rejected: cannot submit job " + KEY + ": the Azure ML workspace " + WORKSPACE + ", or the "
                + "component, compute or data the job names in it, does not exist (UserError: Component '" + WORKSPACE
                + "/components/train_model/versions/9' not found in workspace " + WORKSPACE + ".); set "
                + "TRIBUTARY_AZUREML_WORKSPACE_ID to the resource id of an existing workspace (az ml workspace show -g "
                + "GROUP -n NAME --query id -o tsv), and check that component azureml:train_model:9 and compute "
                + "cluster cpu-cluster are registered there", e.getMessage());
    }

    @Test
    void aComponentNamedWithoutAVersionIsRejectedBeforeAnyCall() {
        JobException e = failure(() -> jobs().submit(training("azureml:train_model@latest")));

        assertEquals(Kind.REJECTED, e.kind());
        assertEquals("rejected: cannot submit job " + KEY + " " + WHERE + ": component 'azureml:train_model@latest' "
                + "is neither azureml:NAME:VERSION nor a component version's resource id (" + AzureMlWorkspace.SHAPE
                + "/components/NAME/versions/VERSION, or azureml://registries/REGISTRY/components/NAME/versions/"
                + "VERSION); Azure Resource Manager takes no @latest or label, so name the version (az ml component "
                + "list -n NAME shows them)", e.getMessage());
        assertEquals(List.of(), workspace.requests());
    }

    @Test
    void anotherComputesWorkIsRejected() {
        JobSubmission spark = new JobSubmission(KEY, "spark", new SynapseWork("pool", "abfss://x/main.py", null,
                null, null, null, null, null, null, 0, null, 0, 0), TAGS, Duration.ofHours(1));

        assertEquals("rejected: job " + KEY + " is synapse work, which an Azure ML workspace does not run",
                failure(() -> jobs().submit(spark)).getMessage());
        assertEquals(List.of(), workspace.requests());
    }

    @Test
    void aSlowAnswerBeyondTheTimeoutIsUnavailable() {
        CallRetry quick = retry(2, Duration.ofMillis(300));
        workspace.fault(none(), new Fault.Slow(Duration.ofSeconds(1)));

        JobException put = failure(() -> jobs(quick, credential).submit(training()));
        assertEquals(Kind.UNAVAILABLE, put.kind());
        assertEquals("unavailable: could not submit job " + KEY + " (component azureml:train_model:3) " + WHERE
                + ": Azure Resource Manager (127.0.0.1) did not answer within 0.3 s; it may have been done, so the "
                + "next delivery of the work looks for it before asking again", put.getMessage());

        workspace.fault(new Fault.Slow(Duration.ofSeconds(1)), new Fault.Slow(Duration.ofSeconds(1)));
        JobException get = failure(() -> jobs(quick, credential).state(handle()));
        assertEquals(Kind.UNAVAILABLE, get.kind());
        assertTrue(get.retryable());
        assertEquals("unavailable: could not ask after job " + KEY + " " + WHERE + ": Azure Resource Manager "
                + "(127.0.0.1) did not answer within 0.3 s after 2 requests over 1 s; a later delivery of the work "
                + "tries again", get.getMessage());
    }

    @Test
    void cancelAsksTheWorkspaceAndTheJobShowsCancelRequestedThenCanceled() {
        workspace.script(KEY, "Queued", "Running"); // runs until cancelled
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());
        assertEquals(JobPhase.RUNNING, jobs.state(job).phase());

        jobs.cancel(job);

        StandInServer.Request cancel = workspace.requests().get(3);
        assertEquals(List.of("POST", JOB + "/cancel", QUERY, "Bearer eyJ.test-token-1", ""), List.of(cancel.method(),
                cancel.path(), cancel.query(), cancel.authorization(), cancel.body()));
        assertEquals(new JobState(JobPhase.RUNNING, "CancelRequested", "cancelling", STUDIO), jobs.state(job));
        assertEquals(new JobState(JobPhase.CANCELED, "Canceled", "", STUDIO), jobs.state(job));
    }

    @Test
    void cancelAnsweredTwoHundredIsDoneToo() {
        workspace.script(KEY, "Running").cancelAnswers(200);
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());

        jobs.cancel(job);

        assertEquals(Optional.of("CancelRequested"), workspace.status(KEY));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 409})
    void cancelOfAFinishedJobRefusedIsANoOp(int status) {
        workspace.script(KEY, "Completed").terminalCancel(status);
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());

        jobs.cancel(job);

        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "POST /jobs/" + KEY + "/cancel",
                "GET /jobs/" + KEY), calls(), "refused: the job is read, and it is over");
        assertEquals(Optional.of("Completed"), workspace.status(KEY));
    }

    @Test
    void cancelOfAFinishedJobAnsweredTwoHundredIsANoOp() {
        workspace.script(KEY, "Failed").terminalCancel(200);
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());

        jobs.cancel(job);

        assertEquals(List.of("GET /jobs/" + KEY, "PUT /jobs/" + KEY, "POST /jobs/" + KEY + "/cancel"), calls());
        assertEquals(Optional.of("Failed"), workspace.status(KEY));
    }

    @Test
    void cancelRefusedForAJobNotOverIsRejected() {
        workspace.script(KEY, "Running");
        AzureMlJobs jobs = jobs();
        JobHandle job = jobs.submit(training());
        workspace.answerNext(request -> StandInServer.Answer.json(409, "{\"error\":{\"code\":\"UserError\","
                + "\"message\":\"Cancellation is not possible now\"}}"));

        JobException e = failure(() -> jobs.cancel(job));
        assertEquals(Kind.REJECTED, e.kind());
        assertEquals("rejected: Azure ML refused cancelling job " + KEY + " " + WHERE + ": HTTP 409 (UserError: "
                + "Cancellation is not possible now)", e.getMessage());
    }

    @Test
    void aJobNoLongerThereIsRejectedWhenAskedAfter() {
        JobException e = failure(() -> jobs().state(handle()));

        assertEquals(Kind.REJECTED, e.kind());
        assertEquals("rejected: job " + KEY + " is not in Azure ML workspace " + WORKSPACE + " (UserError: Job " + KEY
                + " not found): it was deleted, or TRIBUTARY_AZUREML_WORKSPACE_ID names another workspace than the one "
                + "it was submitted to (" + WORKSPACE + ")", e.getMessage());
        assertEquals(Optional.empty(), jobs().find(training()));
    }

    @Test
    void aTokenEchoedInAnErrorBodyNeverReachesTheMessage() {
        workspace.answerNext(request -> StandInServer.Answer.json(400, "{\"error\":{\"code\":\"BadRequest\","
                + "\"message\":\"bad header " + request.authorization() + "\"}}"));

        JobException e = failure(() -> jobs().submit(training()));

        assertEquals("rejected: Azure ML refused looking up job " + KEY + " " + WHERE + ": HTTP 400 (BadRequest: bad "
                + "header Bearer [token])", e.getMessage());
    }

    @Test
    void createGivesALoopbackStandInTheStandInTokenNotTheAppsOne() {
        workspace.acceptToken(Loopback.TOKEN);
        TokenCredential app = request -> Mono.error(new IllegalStateException("the app's credential was asked"));

        JobHandle job = AzureMlJobs.create(target(), app).submit(training());

        assertEquals(KEY, job.id());
        assertEquals(List.of("Bearer " + Loopback.TOKEN, "Bearer " + Loopback.TOKEN),
                workspace.requests().stream().map(StandInServer.Request::authorization).toList());
    }
}
