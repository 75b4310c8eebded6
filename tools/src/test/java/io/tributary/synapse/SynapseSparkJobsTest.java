package io.tributary.synapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.cloud.CallRetry;
import io.tributary.fetch.RetryPolicy;
import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.job.SynapseWork;
import io.tributary.local.compute.LocalSynapse;
import io.tributary.local.compute.LocalSynapse.Ending;
import io.tributary.local.compute.LocalSynapse.Script;
import io.tributary.local.compute.LocalSynapse.SubmittedBatch;
import io.tributary.local.compute.StandInServer.Fault;
import io.tributary.local.compute.StandInServer.Request;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import io.tributary.testing.TestCredential;

/**
 * The Synapse Spark batch client against {@link LocalSynapse} over real HTTP: every request's method, path (with the
 * Livy API version), query, body and bearer token; how a submit without an idempotency key stays one batch (its tag
 * found before a second submit, the {@code POST} never sent twice); the Livy states in Tributary's words; every
 * failure's classified message, none carrying a token. The waits between attempts are recorded, not slept.
 */
class SynapseSparkJobsTest {

    private static final String KEY = "r20261122t073242z-a3f6fba34e-score-1";
    private static final String RUN = "20261122T073242Z-a3f6fba34e";
    private static final String BATCHES = "/livyApi/versions/2019-11-01-preview/sparkPools/etl/batches";
    private static final SynapseWork WORK = new SynapseWork("etl", "abfss://jobs@lake.dfs.core.windows.net/score.py",
            null, List.of("--run", RUN), List.of(), List.of("abfss://jobs@lake.dfs.core.windows.net/features.py"),
            List.of(), Map.of("spark.sql.shuffle.partitions", "8"), "28g", 4, "28g", 4, 2);
    private static final JobSubmission SUBMISSION = submission(KEY, WORK);
    private static final String BODY = "{\"name\":\"" + KEY + "\",\"file\":\"abfss://jobs@lake.dfs.core.windows.net/"
            + "score.py\",\"args\":[\"--run\",\"" + RUN + "\"],\"pyFiles\":[\"abfss://jobs@lake.dfs.core.windows.net/"
            + "features.py\"],\"conf\":{\"spark.sql.shuffle.partitions\":\"8\"},\"driverMemory\":\"28g\","
            + "\"driverCores\":4,\"executorMemory\":\"28g\",\"executorCores\":4,\"numExecutors\":2,\"tags\":{"
            + "\"tributary-key\":\"" + KEY + "\",\"tributary-pipeline\":\"orders\",\"tributary-run\":\"" + RUN + "\"}}";
    private static final String FIRST_PAGE = "detailed=true&from=0&size=20";
    /** 1 s doubling without jitter, four requests, a minute of waiting. */
    private static final CallRetry RETRY = new CallRetry(4, Duration.ofSeconds(60), Duration.ofSeconds(5),
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(60), () -> 1.0,
                    Clock.systemUTC()));
    /** A fault that is none: the request is answered as it should be. */
    private static final Fault PASS = new Fault.Slow(Duration.ZERO);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final LocalSynapse server = new LocalSynapse(0, "tributaryws", Set.of("etl", "ml"), CLOCK);
    private final TestCredential credential = new TestCredential();
    private final List<Duration> waits = new ArrayList<>();
    private SynapseSparkJobs jobs;

    private static JobSubmission submission(String key, SynapseWork work) {
        return new JobSubmission(key, "tributary orders/" + RUN + " score", work, Map.of("tributary-pipeline",
                "orders", "tributary-run", RUN), Duration.ofHours(1));
    }

    private static SynapseWork pool(String pool, String file) {
        return new SynapseWork(pool, file, null, List.of(), List.of(), List.of(), List.of(), Map.of(), null, 0, null,
                0, 0);
    }

    @BeforeEach
    void acceptTheFirstToken() {
        server.acceptToken("eyJ.test-token-1");
    }

    @AfterEach
    void close() {
        server.close();
    }

    private SynapseSparkJobs jobs(CallRetry retry, String version) {
        return new SynapseSparkJobs(new SynapseTarget(server.uri(), version, null), credential,
                HttpClient.newHttpClient(), retry, waits::add, CLOCK);
    }

    /** The client of the test (one, as one instance of the app has one): it keeps its token. */
    private SynapseSparkJobs jobs() {
        if (jobs == null) {
            jobs = jobs(RETRY, SynapseTarget.DEFAULT_API_VERSION);
        }
        return jobs;
    }

    private String where(String pool) {
        return "in Spark pool " + pool + " of Synapse workspace " + server.uri();
    }

    /** The failure {@code call} ends in, after checking that its message carries no token. */
    private static JobException failure(Executable call) {
        JobException e = assertThrows(JobException.class, call);
        assertFalse(e.getMessage().contains(TestCredential.TOKEN_TEXT), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(TestCredential.TOKEN_TEXT));
        return e;
    }

    private List<String> calls() {
        return server.requests().stream().map(r -> r.method() + " " + r.path()
                + (r.query() == null ? "" : "?" + r.query())).toList();
    }

    private List<String> callsFrom(int index) {
        List<String> calls = calls();
        return calls.subList(index, calls.size());
    }

    private JobHandle handle(String id) {
        return new JobHandle("synapse", server.uri().toString(), id, KEY, "", NOW);
    }

    @Test
    void aSubmitLooksForItsKeyThenPostsTheBatchTaggedWithItWithTheAppsToken() {
        JobHandle handle = jobs().submit(SUBMISSION);

        assertEquals(new JobHandle("synapse", server.uri().toString(), "etl/0", KEY, "", NOW), handle);
        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE, "POST " + BATCHES + "?detailed=true"), calls());
        List<Request> requests = server.requests();
        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-1"),
                requests.stream().map(Request::authorization).toList());
        assertEquals("", requests.get(0).body());
        assertEquals(BODY, requests.get(1).body());
        assertEquals(List.of("https://dev.azuresynapse.net/.default"), credential.scopes,
                "the token is for Synapse's data plane, its audience without a trailing slash");
        SubmittedBatch batch = server.batches("etl").get(0);
        assertEquals(List.of(KEY, WORK.file(), List.of("--run", RUN), Map.of("tributary-key", KEY,
                "tributary-pipeline", "orders", "tributary-run", RUN)), List.of(batch.name(), batch.file(),
                batch.args(), batch.tags()));
        assertEquals(List.of(), waits);

        server.acceptToken("eyJ.test-token-2"); // another client, another token
        JobState state = jobs(RETRY, "2020-12-01").state(handle);
        assertEquals("GET /livyApi/versions/2020-12-01/sparkPools/etl/batches/0?detailed=true", calls().get(2),
                "the Livy API version is a path segment the setting chooses");
        assertEquals(new JobState(JobPhase.QUEUED, "not_started/Uncertain", "", ""), state);
    }

    @Test
    void aSecondSubmitWithTheSameKeyFindsTheFirstBatchAndStartsNothing() {
        SynapseSparkJobs jobs = jobs();
        JobHandle first = jobs.submit(SUBMISSION);

        JobHandle second = jobs.submit(SUBMISSION);

        assertEquals(first, second);
        assertEquals(1, server.batches("etl").size());
        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE), callsFrom(2), "no second POST");
        assertEquals(Optional.of(first), jobs.find(SUBMISSION));
        assertEquals("etl/1", jobs.submit(submission("r20261122t073242z-a3f6fba34e-score-2", WORK)).id(),
                "another key is another batch");
    }

    @Test
    void aSubmitWhoseAnswerIsLostIsFoundByItsTagOnTheNextDelivery() {
        server.fault(PASS, new Fault.Lost());

        JobException lost = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(lost.kind(), lost.retryable()));
        assertTrue(lost.getMessage().startsWith("unavailable: could not submit Spark batch " + KEY + " " + where("etl")
                + ": Synapse (127.0.0.1) cannot be reached ("), lost.getMessage());
        assertTrue(lost.getMessage().endsWith("; it may have been done, so the next delivery of the work looks for it "
                + "before asking again"), lost.getMessage());
        assertEquals(2, server.requests().size(), "the POST is not sent again");
        assertEquals(1, server.batches("etl").size(), "the batch was made all the same");

        JobHandle found = jobs().submit(SUBMISSION);

        assertEquals(new JobHandle("synapse", server.uri().toString(), "etl/0", KEY, "", NOW), found);
        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE), callsFrom(2));
        assertEquals(1, server.batches("etl").size());
    }

    @Test
    void aServerErrorOnThePostIsNotResentAndTheNextSubmitMakesExactlyOne() {
        server.fault(PASS, new Fault.Status(503, null));

        JobException e = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not submit Spark batch " + KEY + " " + where("etl") + ": Synapse (127.0.0.1) "
                + "answered HTTP 503 (ServiceUnavailable: played by the stand-in); it may have been submitted, so the "
                + "next delivery of the work looks for it before asking again", e.getMessage());
        assertEquals(List.of("GET", "POST"), server.requests().stream().map(Request::method).toList());
        assertEquals(List.of(), waits);

        assertEquals("etl/0", jobs().submit(SUBMISSION).id());
        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE, "POST " + BATCHES + "?detailed=true"), callsFrom(2));
        assertEquals(1, server.batches("etl").size());
        jobs().submit(SUBMISSION);
        assertEquals(1, server.batches("etl").size());
    }

    @Test
    void throttlingIsWaitedOutAsRetryAfterAsksAndAThrottledPostIsSentAgain() {
        server.fault(new Fault.Status(429, 7), PASS, new Fault.Status(429, 3));

        assertEquals("etl/0", jobs().submit(SUBMISSION).id());

        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(3)), waits);
        assertEquals(List.of("GET", "GET", "POST", "POST"), server.requests().stream().map(Request::method).toList());
        assertEquals(BODY, server.requests().get(3).body(), "a throttled POST was not taken, so it is sent again");
        assertEquals(1, server.batches("etl").size());
    }

    @Test
    void serverErrorsOnAReadAreRetriedWithDoublingBackOff() {
        JobHandle handle = jobs().submit(SUBMISSION);
        server.fault(new Fault.Status(500, null), new Fault.Status(503, null));

        assertEquals(JobPhase.QUEUED, jobs().state(handle).phase());

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
        assertEquals(List.of("GET " + BATCHES + "/0?detailed=true", "GET " + BATCHES + "/0?detailed=true",
                "GET " + BATCHES + "/0?detailed=true"), callsFrom(2));
    }

    @Test
    void theDefaultBatchIsQueuedThenRunsThenSucceeds() {
        SynapseSparkJobs jobs = jobs();
        JobHandle handle = jobs.submit(SUBMISSION);
        String sparkUi = server.uri() + "/local-spark/etl/0/sparkui";

        List<JobState> states = IntStream.range(0, 4).mapToObj(i -> jobs.state(handle)).toList();

        assertEquals(List.of(new JobState(JobPhase.QUEUED, "not_started/Uncertain", "", ""),
                new JobState(JobPhase.QUEUED, "starting/Uncertain", "", ""),
                new JobState(JobPhase.RUNNING, "running/Uncertain", "", sparkUi),
                new JobState(JobPhase.SUCCEEDED, "success/Succeeded", "", sparkUi)), states);
    }

    @Test
    void everyLivyStateHasItsPhaseAndAStateNotKnownYetIsRunning() {
        server.script(Script.of(Ending.dead("Job failed during run time with state=[dead].", "Exit code 1"),
                "not_started", "starting", "running", "busy", "idle", "recovering", "shutting_down",
                "a_state_added_later"));
        SynapseSparkJobs jobs = jobs();
        JobHandle handle = jobs.submit(SUBMISSION);

        List<JobState> states = IntStream.range(0, 9).mapToObj(i -> jobs.state(handle)).toList();

        assertEquals(List.of(JobPhase.QUEUED, JobPhase.QUEUED, JobPhase.RUNNING, JobPhase.RUNNING, JobPhase.RUNNING,
                JobPhase.RUNNING, JobPhase.RUNNING, JobPhase.RUNNING, JobPhase.FAILED),
                states.stream().map(JobState::phase).toList());
        assertEquals(List.of("not_started/Uncertain", "starting/Uncertain", "running/Uncertain", "busy/Uncertain",
                "idle/Uncertain", "recovering/Uncertain", "shutting_down/Uncertain", "a_state_added_later/Uncertain",
                "dead/Failed"), states.stream().map(JobState::state).toList());
        assertEquals("Job failed during run time with state=[dead].; Exit code 1", states.get(8).message(),
                "a failure says its errorInfo's messages");
        assertEquals(List.of("", "", "", "", "", "", "", ""),
                states.subList(0, 8).stream().map(JobState::message).toList());
    }

    @Test
    void eachEndingHasItsPhaseAndItsMessage() {
        Map<String, Ending> endings = new java.util.LinkedHashMap<>();
        endings.put("success", Ending.success());
        endings.put("error", Ending.error("Livy session could not be started."));
        endings.put("killed", Ending.killed());
        endings.put("cancelled", new Ending("dead", "Cancelled", List.of(), List.of()));
        endings.put("logged", Ending.dead().withLog("stdout: ", "  ", "YARN Diagnostics: Application "
                + "application_1 failed 1 times due to AM Container exited with exitCode: 13", " "));
        SynapseSparkJobs jobs = jobs();
        List<JobState> ended = new ArrayList<>();
        endings.forEach((name, ending) -> {
            server.script(Script.of(ending, "running"));
            JobHandle handle = jobs.submit(submission("k-" + name, WORK));
            assertEquals(JobPhase.RUNNING, jobs.state(handle).phase());
            JobState state = jobs.state(handle);
            ended.add(new JobState(state.phase(), state.state(), state.message(), ""));
        });

        assertEquals(List.of(new JobState(JobPhase.SUCCEEDED, "success/Succeeded", "", ""),
                new JobState(JobPhase.FAILED, "error/Failed", "Livy session could not be started.", ""),
                new JobState(JobPhase.CANCELED, "killed/Cancelled", "", ""),
                new JobState(JobPhase.CANCELED, "dead/Cancelled", "", ""),
                new JobState(JobPhase.FAILED, "dead/Failed", "YARN Diagnostics: Application application_1 failed 1 "
                        + "times due to AM Container exited with exitCode: 13", "")), ended,
                "a failure without errorInfo says its log's last line");
    }

    @Test
    void aBatchRunsUntilItsExecutorSaysHowItEnds() {
        CompletableFuture<Ending> run = new CompletableFuture<>();
        List<SubmittedBatch> started = new ArrayList<>();
        server.executor(batch -> {
            started.add(batch);
            return run;
        });
        SynapseSparkJobs jobs = jobs();
        JobHandle handle = jobs.submit(SUBMISSION);
        IntStream.range(0, 5).forEach(i -> jobs.state(handle));

        assertEquals("running/Uncertain", jobs.state(handle).state(), "running while the executor runs it");
        run.complete(Ending.error("local run: exit code 3"));
        jobs.state(handle);
        JobState ended = jobs.state(handle);

        assertEquals(List.of(JobPhase.FAILED, "error/Failed", "local run: exit code 3"),
                List.of(ended.phase(), ended.state(), ended.message()));
        assertEquals(List.of(List.of("etl", 0, KEY, WORK.file(), List.of("--run", RUN), WORK.pyFiles(), WORK.conf())),
                started.stream().map(b -> List.of(b.pool(), b.id(), b.name(), b.file(), b.args(), b.pyFiles(),
                        b.conf())).toList(), "the executor is given the batch as submitted");
    }

    @Test
    void aRunningBatchIsCancelledAndThenShowsKilled() {
        CompletableFuture<Ending> run = new CompletableFuture<>();
        server.executor(batch -> run);
        server.script(Script.runsUntilCancelled());
        SynapseSparkJobs jobs = jobs();
        JobHandle handle = jobs.submit(SUBMISSION);
        IntStream.range(0, 4).forEach(i -> jobs.state(handle));
        int before = server.requests().size();

        jobs.cancel(handle);

        assertEquals(List.of("GET " + BATCHES + "/0?detailed=true", "DELETE " + BATCHES + "/0"), callsFrom(before));
        assertTrue(run.isCancelled(), "the executor's run is cancelled");
        JobState state = jobs.state(handle);
        assertEquals(List.of(JobPhase.CANCELED, "killed/Cancelled"), List.of(state.phase(), state.state()));
    }

    @Test
    void aBatchThatIsOverOrGoneIsLeftAsItIsWhenCancelled() {
        SynapseSparkJobs jobs = jobs();
        JobHandle handle = jobs.submit(SUBMISSION);
        IntStream.range(0, 4).forEach(i -> jobs.state(handle));
        int before = server.requests().size();

        jobs.cancel(handle);
        jobs.cancel(handle("etl/99"));

        assertEquals(List.of("GET " + BATCHES + "/0?detailed=true", "GET " + BATCHES + "/99?detailed=true"),
                callsFrom(before), "no DELETE: Livy's would remove the finished batch's record");
        assertEquals("success", server.state("etl", 0));
    }

    @Test
    void aTokenSynapseRefusesIsReplacedOnce() {
        server.acceptToken("eyJ.test-token-2");

        assertEquals("etl/0", jobs().submit(SUBMISSION).id());

        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-2", "Bearer eyJ.test-token-2"),
                server.requests().stream().map(Request::authorization).toList());
        assertEquals(2, credential.issued());
    }

    @Test
    void aTokenRefusedTwiceIsACredentialsFailureNamingTheSettingAndTheRole() {
        server.acceptToken("another-audience");

        JobException e = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot list the Spark batches " + where("etl") + ": Synapse does not take the "
                + "app's token (HTTP 401, AuthenticationFailed: the bearer token is missing or not valid): check that "
                + "TRIBUTARY_SYNAPSE_ENDPOINT is the workspace's development endpoint (" + server.uri() + " now) and "
                + "that the app's identity (AzureWebJobsStorage__clientId) is of the workspace's tenant; it needs the "
                + "Synapse Compute Operator role on the pool or the workspace", e.getMessage());
        assertEquals(0, server.batches("etl").size());
    }

    @Test
    void aForbiddenCallNamesTheRoleTheIdentityNeeds() {
        server.fault(new Fault.Status(403, null));

        JobException e = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot list the Spark batches " + where("etl") + ": the app's identity may not use "
                + "the pool (HTTP 403, Unauthorized: played by the stand-in): grant it the Synapse Compute Operator "
                + "role on Spark pool etl or on the workspace TRIBUTARY_SYNAPSE_ENDPOINT names (Synapse Studio: Manage "
                + "> Access control), then allow a few minutes for the assignment to apply", e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void aPoolThatDoesNotExistIsRejectedNamingIt() {
        JobException e = failure(() -> jobs().submit(submission(KEY, pool("nopool", WORK.file()))));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: cannot list the Spark batches: there is no Spark pool nopool in Synapse workspace "
                + server.uri() + " (HTTP 404, SparkPoolNotFound: The Spark pool 'nopool' does not exist in workspace "
                + "'tributaryws'.): set the job's pool to one of the workspace's Apache Spark pools (Synapse Studio: "
                + "Manage > Apache Spark pools), or TRIBUTARY_SYNAPSE_ENDPOINT to the workspace that has it",
                e.getMessage());
        JobException named = failure(() -> jobs().submit(submission(KEY, pool("etl/../x", WORK.file()))));
        assertEquals("rejected: job " + KEY + " names the Spark pool 'etl/../x', which is not a pool's name (letters "
                + "and digits): set the job's pool to one of the workspace's Apache Spark pools (Synapse Studio: "
                + "Manage > Apache Spark pools)", named.getMessage());
    }

    @Test
    void aBatchTheServiceRefusesIsRejectedWithItsReason() {
        JobException e = failure(() -> jobs().submit(submission(KEY, pool("etl", " "))));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Synapse refused to submit Spark batch " + KEY + " " + where("etl") + ": HTTP 400, "
                + "BadRequest: The property 'file' is required.", e.getMessage());
    }

    @Test
    void aSlowAnswerBeyondTheTimeoutIsUnavailable() {
        JobHandle handle = jobs().submit(SUBMISSION);
        server.fault(new Fault.Slow(Duration.ofSeconds(1)), new Fault.Slow(Duration.ofSeconds(1)));
        CallRetry quick = new CallRetry(2, Duration.ofSeconds(60), Duration.ofMillis(300), RETRY.backoff());
        server.acceptToken("eyJ.test-token-2"); // another client, another token

        JobException e = failure(() -> jobs(quick, SynapseTarget.DEFAULT_API_VERSION).state(handle));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not read Spark batch 0 " + where("etl") + ": Synapse (127.0.0.1) did not "
                + "answer within 0.3 s after 2 requests over 1 s; a later delivery of the work tries again",
                e.getMessage());
    }

    @Test
    void aTokenQuotedInAnErrorNeverReachesAMessage() {
        server.quoteTokenInNextError(400);

        JobException e = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Synapse refused to list the Spark batches " + where("etl") + ": HTTP 400, BadRequest: "
                + "The request's header is not valid: Bearer [token]", e.getMessage());
    }

    @Test
    void theLookUpReadsTheNewestBatchesFromTheEndOfTheList() {
        server.preload("etl", 45);
        SynapseSparkJobs jobs = jobs();
        assertEquals("etl/45", jobs.submit(SUBMISSION).id());
        int before = server.requests().size();

        assertEquals("etl/45", jobs.submit(SUBMISSION).id());

        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE, "GET " + BATCHES + "?detailed=true&from=26&size=20"),
                callsFrom(before), "the total counts the pool's 46 batches: the last page holds the newest");
    }

    @Test
    void theLookUpReadsAtMostTheNewest200Batches() {
        server.preload("etl", 400);

        assertEquals("etl/400", jobs().submit(SUBMISSION).id());

        List<String> froms = new ArrayList<>(List.of("0"));
        for (int from = 380; from >= 200; from -= 20) {
            froms.add(String.valueOf(from));
        }
        assertEquals(froms.stream().map(from -> "GET " + BATCHES + "?detailed=true&from=" + from + "&size=20")
                .toList(), callsFrom(0).subList(0, froms.size()));
        assertEquals("POST " + BATCHES + "?detailed=true", calls().get(froms.size()));
    }

    @Test
    void aListWhoseTotalIsThePagesLengthIsReadForwardToItsEnd() {
        server.totalIsPageLength(true);
        server.preload("etl", 45);
        SynapseSparkJobs jobs = jobs();
        assertEquals("etl/45", jobs.submit(SUBMISSION).id());
        int before = server.requests().size();

        assertEquals("etl/45", jobs.submit(SUBMISSION).id());

        assertEquals(List.of("GET " + BATCHES + "?" + FIRST_PAGE, "GET " + BATCHES + "?detailed=true&from=20&size=20",
                "GET " + BATCHES + "?detailed=true&from=40&size=20"), callsFrom(before));
        assertEquals(46, server.batches("etl").size());
    }

    @Test
    void aListTooLongToSearchWithoutItsLengthSubmitsNothing() {
        server.totalIsPageLength(true);
        server.preload("etl", 1000);

        JobException e = failure(() -> jobs().submit(SUBMISSION));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: cannot tell whether Spark batch " + KEY + " was submitted " + where("etl") + ": its "
                + "list of batches is longer than 1000 and does not say how long it is (its total is 20), so its "
                + "newest batches cannot be reached; rather than perhaps run it twice it is not submitted: look for a "
                + "batch named " + KEY + " in Synapse Studio (Monitor > Apache Spark applications)", e.getMessage());
        assertEquals(50, server.requests().size());
        assertEquals(1000, server.batches("etl").size());
    }

    @Test
    void aBatchThatIsGoneCannotBeFollowed() {
        JobException e = failure(() -> jobs().state(handle("etl/99")));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: there is no Spark batch 99 " + where("etl") + " (job " + KEY + "; HTTP 404, NotFound: "
                + "Batch 99 was not found in Spark pool 'etl'.): it was deleted, or the pool no longer keeps it, so "
                + "how it ended cannot be told", e.getMessage());
    }

    @Test
    void aHandleOfAnotherWorkspaceIsNotFollowedHere() {
        JobHandle other = new JobHandle("synapse", "https://otherws.dev.azuresynapse.net", "etl/0", KEY, "", NOW);

        JobException e = failure(() -> jobs().state(other));

        assertEquals("rejected: job " + KEY + " is Spark batch etl/0 of Synapse workspace "
                + "https://otherws.dev.azuresynapse.net, but TRIBUTARY_SYNAPSE_ENDPOINT names " + server.uri()
                + " now: set it back while the job runs, or cancel the job in Synapse Studio", e.getMessage());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void theAppsClientGivesAStandInTheStandInToken() {
        server.acceptToken(io.tributary.cloud.Loopback.TOKEN);
        SynapseSparkJobs jobs = SynapseSparkJobs.create(new SynapseTarget(server.uri()), credential);

        assertEquals("etl/0", jobs.submit(SUBMISSION).id());

        assertEquals(List.of(), credential.scopes, "the app's credential is not asked for a loopback endpoint");
        assertEquals(List.of("synapse", server.uri().toString()), List.of(jobs.kind(), jobs.workspace()));
        assertEquals(URI.create(server.uri().toString()), new SynapseTarget(server.uri()).endpoint());
    }
}
