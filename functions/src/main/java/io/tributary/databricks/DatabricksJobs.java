package io.tributary.databricks;

import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cloud.BearerClient;
import io.tributary.cloud.BearerClient.Resend;
import io.tributary.cloud.CallRetry;
import io.tributary.cloud.Loopback;
import io.tributary.fetch.Sleeper;
import io.tributary.job.DatabricksWork;
import io.tributary.job.JobHandle;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.port.JobCompute;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Runs Databricks work in an Azure Databricks workspace through the Jobs API 2.1, with a token of the app's identity
 * for Azure Databricks ({@value DatabricksTarget#SCOPE}): a one-time run of one task ({@code runs/submit}) or a run of a
 * job that exists ({@code run-now}), its state ({@code runs/get}) and its cancellation ({@code runs/cancel}). Nothing
 * waits for a run: the job stage asks again later.
 *
 * <p><b>Idempotency.</b> Both starting requests carry the submission's key as their {@code idempotency_token}:
 * Databricks starts exactly one run per token and answers a repeat with that run's id. A submit whose answer was lost
 * is therefore sent again, within the call ({@link Resend#SAFE}) and by a later delivery of the work alike, and finds
 * the first run. Databricks offers no look-up of a run by its token, so {@link #find} finds nothing: the job stage
 * submits again with the same key, which is the look-up.
 *
 * <p><b>The handle.</b> After a run starts, one {@code runs/get} reads its page ({@code run_page_url}, which carries
 * the workspace's id and the run's hidden job id and so cannot be built) and its start time; a resubmit gets the same
 * handle. When that read fails the run has started all the same: the handle goes without a link, and every
 * {@link #state} carries it.
 *
 * <p><b>Failures.</b> 401/403 are {@code credentials:} (the identity must be a user of the workspace, allowed to run
 * the work); 400/404 {@code rejected:} with Databricks' own message, but for the codes that mean "not now"
 * ({@code REQUEST_LIMIT_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, {@code TEMPORARILY_UNAVAILABLE},
 * {@code COULD_NOT_ACQUIRE_LOCK}), which are {@code unavailable:} and retryable; 429, 5xx, lost or unanswered requests
 * are sent again as {@link CallRetry} allows, then {@code unavailable:} and retryable. Messages name the workspace's
 * host and the run, never a token.
 */
public final class DatabricksJobs implements JobCompute {

    /** The compute this is, as {@link DatabricksWork#compute()} names it. */
    public static final String KIND = "databricks";

    private static final Logger LOG = LogContext.logger(DatabricksJobs.class);
    /** Error codes that mean "not now" whatever the status says. */
    private static final Set<String> BUSY = Set.of("REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED",
            "TEMPORARILY_UNAVAILABLE", "COULD_NOT_ACQUIRE_LOCK");

    private final DatabricksTarget target;
    private final BearerClient client;
    private final Clock clock;

    /**
     * @param target     the workspace
     * @param credential where tokens for Azure Databricks come from (the app's {@code DefaultAzureCredential}, or a
     *                   loopback stand-in's)
     * @param http       the HTTP client
     * @param clock      what a handle's submission time falls back to
     */
    public DatabricksJobs(DatabricksTarget target, TokenCredential credential, HttpClient http, CallRetry retry,
                          Sleeper sleeper, Clock clock) {
        this.target = target;
        this.clock = clock;
        this.client = BearerClient.forJobs(http, credential, DatabricksTarget.SCOPE, retry, sleeper, clock,
                "Azure Databricks", body -> DatabricksError.parse(body).describe());
    }

    /**
     * The client the app uses: {@link CallRetry#DEFAULT}, Java's HTTP client following no redirects, and the stand-in
     * token for a workspace on the loopback address ({@link Loopback#credentialFor}).
     */
    public static DatabricksJobs create(DatabricksTarget target, TokenCredential credential) {
        return new DatabricksJobs(target, Loopback.credentialFor(target.workspace(), credential), BearerClient.http(),
                CallRetry.DEFAULT, Sleeper.REAL, Clock.systemUTC());
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The workspace's URL. */
    @Override
    public String workspace() {
        return target.workspace().toString();
    }

    @Override
    public JobHandle submit(JobSubmission submission) {
        if (!(submission.work() instanceof DatabricksWork work)) {
            throw new JobException(Kind.REJECTED, "cannot run " + submission.work().compute() + " work ("
                    + submission.work().code() + ") in " + target + ": it is not Databricks work", false, null);
        }
        boolean job = work.jobId() != null;
        String doing = (job ? "run job " + work.jobId() : "submit one-time run '" + submission.name() + "' of "
                + work.code()) + " (idempotency token " + submission.key() + ") in " + target;
        String body;
        try {
            body = job ? RunBodies.runNow(submission, work) : RunBodies.submit(submission, work);
        } catch (IllegalArgumentException e) {
            throw new JobException(Kind.REJECTED, "cannot " + doing + ": " + e.getMessage(), false, e);
        }
        BearerClient.Answer answer = client.send("POST", target.jobs(job ? "run-now" : "runs/submit"), body, doing,
                Resend.SAFE);
        if (answer.status() != 200) {
            throw refused(answer, doing, job ? "give it Can Manage Run on job " + work.jobId()
                    : "let it run the work: " + needs(work));
        }
        long runId = read(answer, doing).path("run_id").asLong(0);
        if (runId <= 0) {
            throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": the answer named no run_id; a later "
                    + "delivery of the work submits again with the same token, which finds the run if one started",
                    true, null);
        }
        LOG.info("Databricks run " + runId + " for " + submission.key() + " in " + target + " (" + work.code() + ")");
        return handle(runId, submission.key());
    }

    /** What a one-time run's work needs of the identity, besides workspace access. */
    private static String needs(DatabricksWork work) {
        DatabricksWork.Cluster cluster = work.cluster();
        String compute = cluster.existing() != null ? "Can Attach To (or Can Restart) on cluster " + cluster.existing()
                : cluster.spec() != null ? "the entitlement to create clusters (or Can Use on the cluster policy the "
                + "spec names)" : "serverless compute for jobs, enabled in the workspace";
        return compute + ", and read access to the " + work.code();
    }

    /** The handle of run {@code runId}, with its page and start time when {@code runs/get} gives them. */
    private JobHandle handle(long runId, String key) {
        try {
            JsonNode run = get(runId);
            long started = run.path("start_time").asLong(0);
            return new JobHandle(KIND, workspace(), String.valueOf(runId), key, run.path("run_page_url").asText(""),
                    started > 0 ? Instant.ofEpochMilli(started) : clock.instant());
        } catch (JobException e) {
            LOG.warning("Databricks run " + runId + " started, but its page is not known yet: " + e.getMessage());
            return new JobHandle(KIND, workspace(), String.valueOf(runId), key, "", clock.instant());
        }
    }

    /**
     * Nothing: the Jobs API has no look-up of a run by its idempotency token (the submission's key) (listing runs filters by job, type and
     * time, and one-time runs all belong to hidden jobs of their own). A second {@link #submit} with the same key finds
     * the run the first started instead.
     */
    @Override
    public Optional<JobHandle> find(JobSubmission submission) {
        return Optional.empty();
    }

    @Override
    public JobState state(JobHandle job) {
        return RunStates.of(get(runId(job)));
    }

    @Override
    public void cancel(JobHandle job) {
        long runId = runId(job);
        String doing = "cancel run " + runId + " in " + target;
        BearerClient.Answer answer = client.send("POST", target.jobs("runs/cancel"), "{\"run_id\":" + runId + "}",
                doing, Resend.SAFE);
        if (answer.status() == 200) {
            LOG.info("asked " + target + " to cancel run " + runId);
            return;
        }
        if (answer.status() == 400 && !DatabricksError.parse(answer.body()).code().equals("RESOURCE_DOES_NOT_EXIST")) {
            // A run that is over may be refused a cancel: it is left as it is, as the port asks.
            JobState now = state(job);
            if (now.phase().terminal()) {
                LOG.info("run " + runId + " in " + target + " is over already (" + now.state() + "): nothing to cancel");
                return;
            }
        }
        throw refused(answer, doing, "give it Can Manage Run on the run's job (the identity that submitted a "
                + "one-time run may cancel it)");
    }

    /** Run {@code runId} as {@code runs/get} answers it. */
    private JsonNode get(long runId) {
        String doing = "get the state of run " + runId + " in " + target;
        BearerClient.Answer answer = client.send("GET", target.jobs("runs/get?run_id=" + runId), null, doing);
        if (answer.status() != 200) {
            throw refused(answer, doing, "give it Can View on the run's job (the identity that submitted a one-time "
                    + "run may read it)");
        }
        return read(answer, doing);
    }

    private static JsonNode read(BearerClient.Answer answer, String doing) {
        try {
            JsonNode node = Json.MAPPER.readTree(answer.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // said below
        }
        throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Azure Databricks answered HTTP 200 with "
                + "no JSON object; a later delivery of the work asks again", true, null);
    }

    /** The run id of {@code job}, a handle of this workspace's. */
    private long runId(JobHandle job) {
        if (!KIND.equals(job.compute()) || !workspace().equals(job.workspace())) {
            throw new JobException(Kind.REJECTED, "job " + job.id() + " runs in " + job.compute() + " workspace "
                    + job.workspace() + ", not in " + target + " (" + DatabricksTarget.SETTING + "): set the setting "
                    + "back to that workspace to follow it, or cancel it there", false, null);
        }
        try {
            return Long.parseLong(job.id());
        } catch (NumberFormatException e) {
            throw new JobException(Kind.REJECTED, "'" + job.id() + "' is not a Databricks run id (a number), in "
                    + target, false, e);
        }
    }

    /** The failure a non-200 answer (after retries) means. */
    private JobException refused(BearerClient.Answer answer, String doing, String need) {
        DatabricksError error = DatabricksError.parse(answer.body());
        String said = "HTTP " + answer.status() + (error.text().isEmpty() ? "" : ", " + error.text());
        if (answer.status() == 401 || answer.status() == 403) {
            return new JobException(Kind.CREDENTIALS, "cannot " + doing + ": the workspace refused the app's identity ("
                    + said + "): the identity must be a user of the workspace (add the app's managed identity, which "
                    + "AzureWebJobsStorage__clientId names when it is user-assigned, as a service principal in the "
                    + "workspace's settings, Identity and access), of the workspace's tenant, and allowed to run jobs: "
                    + need + "; " + DatabricksTarget.SETTING + " names the workspace (" + workspace() + " now)",
                    false, null);
        }
        if (BUSY.contains(error.code())) {
            return new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Azure Databricks is busy (" + said
                    + "); a later delivery of the work tries again", true, null);
        }
        return new JobException(Kind.REJECTED, "Azure Databricks refused to " + doing + ": " + said, false, null);
    }

    @Override
    public String toString() {
        return "Databricks jobs in " + target;
    }
}
