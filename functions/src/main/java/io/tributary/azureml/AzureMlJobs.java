package io.tributary.azureml;

import com.azure.core.credential.TokenCredential;
import io.tributary.cloud.BearerClient;
import io.tributary.cloud.BearerClient.Resend;
import io.tributary.cloud.CallRetry;
import io.tributary.cloud.Loopback;
import io.tributary.fetch.Sleeper;
import io.tributary.job.AzureMlWork;
import io.tributary.job.JobHandle;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.port.JobCompute;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import io.tributary.run.LogContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs Azure ML work as jobs of an Azure Machine Learning workspace through Azure Resource Manager
 * ({@value AzureMlTarget#API_VERSION}), with a token from the app's credential: a registered command component as a
 * one-node pipeline job, a registered pipeline component as a pipeline job ({@link PipelineJobBody}). Nothing here
 * waits for a job: the job stage asks again later.
 *
 * <p><b>Once per key.</b> The job's name is the submission's key, which the workspace keeps unique. {@code GET
 * …/jobs/{key}} comes first: a job there is this submission's, and its handle is returned, nothing sent again. Else
 * {@code PUT …/jobs/{key}} starts it, sent once ({@link Resend#NEVER}): a PUT answered 409, or 400 saying the job
 * already exists (another delivery raced this one), is followed by a GET that adopts the job; a PUT whose answer was
 * lost is found by the next delivery's GET. A job of that name running another component is not adopted but refused.
 *
 * <p><b>State</b> is {@code properties.status}, mapped by {@link AzureMlJobStatus}; the link is
 * {@code properties.services.Studio.endpoint}. ARM's job carries no error text: the message says what it has.
 * <b>Cancel</b> is {@code POST …/jobs/{name}/cancel} (200, or 202 and the cancellation goes on: the job shows
 * {@code CancelRequested}, then {@code Canceled}); a 400 or 409 for a job that is over already is a no-op.
 *
 * <p>Failures are classified as {@link AzureMlDataAssets}' are: 401/403 {@code credentials:} (the identity needs the
 * {@value AzureMlDataAssets#ROLE} role on the workspace); a PUT answered 404 {@code rejected:} (no such workspace,
 * or component or compute in it, naming {@value AzureMlTarget#WORKSPACE_SETTING}); other 4xx {@code rejected:};
 * 429, 5xx, a lost or unanswered request {@code unavailable:} and retryable. No message carries a token.
 */
public final class AzureMlJobs implements JobCompute {

    private static final Logger LOG = LogContext.logger(AzureMlJobs.class);

    private final AzureMlTarget target;
    private final BearerClient arm;
    private final Clock clock;

    /**
     * @param target     the workspace, and ARM's endpoint
     * @param credential where tokens for ARM come from (the app's {@code DefaultAzureCredential})
     * @param http       the HTTP client
     */
    public AzureMlJobs(AzureMlTarget target, TokenCredential credential, HttpClient http, CallRetry retry,
                       Sleeper sleeper, Clock clock) {
        this.target = target;
        this.clock = clock;
        this.arm = BearerClient.forJobs(http, credential, target.scope(), retry, sleeper, clock,
                "Azure Resource Manager", body -> ArmError.parse(body).describe());
    }

    /**
     * The jobs the app runs: {@link CallRetry#DEFAULT}, Java's HTTP client, no redirects followed; a loopback endpoint
     * (a local stand-in) is given the stand-in token rather than one of {@code credential}'s.
     */
    public static AzureMlJobs create(AzureMlTarget target, TokenCredential credential) {
        return new AzureMlJobs(target, Loopback.credentialFor(target.endpoint(), credential), BearerClient.http(),
                CallRetry.DEFAULT, Sleeper.REAL, Clock.systemUTC());
    }

    @Override
    public String kind() {
        return "azureml";
    }

    @Override
    public String workspace() {
        return target.workspace().resourceId();
    }

    @Override
    public JobHandle submit(JobSubmission submission) {
        String key = submission.key();
        if (!(submission.work() instanceof AzureMlWork work)) {
            throw new JobException(Kind.REJECTED, "job " + key + " is " + submission.work().compute() + " work, which "
                    + "an Azure ML workspace does not run", false, null);
        }
        String body;
        try {
            body = PipelineJobBody.of(submission, work, target.workspace());
        } catch (IllegalArgumentException e) {
            throw new JobException(Kind.REJECTED, "cannot submit job " + key + " " + where() + ": " + e.getMessage(),
                    false, e);
        }
        String component = AzureMlReferences.component(work.component(), target.workspace());
        Optional<JobHandle> found = lookUp(key, component, work);
        if (found.isPresent()) {
            LOG.info("job " + key + " " + where() + " was submitted before: adopted, not submitted again");
            return found.get();
        }
        BearerClient.Answer put = arm.send("PUT", target.job(key), body, "submit job " + key + " ("
                + work.code() + ") " + where(), Resend.NEVER);
        switch (put.status()) {
            case 200:
            case 201:
                JobHandle handle = handle(key, read(put, "submitting", key));
                LOG.info("job " + key + " (" + work.code() + ") submitted " + where());
                return handle;
            case 400:
            case 409:
                if (put.status() == 409 || ArmError.parse(put.body()).message().toLowerCase(Locale.ROOT)
                        .contains("already exists")) {
                    // Another delivery of this submission put it between our GET and our PUT: that job is this one.
                    Optional<JobHandle> raced = lookUp(key, component, work);
                    if (raced.isPresent()) {
                        LOG.info("job " + key + " " + where() + " was submitted by another delivery: adopted");
                        return raced.get();
                    }
                }
                throw rejected(put, "submitting", key);
            case 404:
                throw new JobException(Kind.REJECTED, "cannot submit job " + key + ": the Azure ML workspace "
                        + workspace() + ", or the component, compute or data the job names in it, does not exist"
                        + ArmError.parse(put.body()).describe() + "; set " + AzureMlTarget.WORKSPACE_SETTING + " to the "
                        + "resource id of an existing workspace (az ml workspace show -g GROUP -n NAME --query id -o "
                        + "tsv), and check that " + work.code() + (work.cluster() == null ? "" : " and compute cluster "
                        + work.cluster()) + " are registered there", false, null);
            case 401:
            case 403:
                throw refused(put, "submit", key);
            default:
                if (put.status() == 429 || put.status() / 100 == 5) {
                    // Sent once: it may have been done, so the next delivery looks for it first.
                    throw new JobException(Kind.UNAVAILABLE, "could not submit job " + key + " " + where()
                            + ": Azure Resource Manager answered HTTP " + put.status()
                            + ArmError.parse(put.body()).describe() + "; the next delivery of the work looks for the "
                            + "job before submitting it again", true, null);
                }
                throw rejected(put, "submitting", key);
        }
    }

    @Override
    public Optional<JobHandle> find(JobSubmission submission) {
        String key = submission.key();
        return get(key).map(job -> handle(key, job));
    }

    /**
     * The job named {@code key}, when it runs {@code component}: a job of that name running another component (by name
     * and version) is not this submission's, and is refused rather than adopted.
     */
    private Optional<JobHandle> lookUp(String key, String component, AzureMlWork work) {
        Optional<JobResource> found = get(key);
        if (found.isPresent() && !found.get().mayRun(component)) {
            throw new JobException(Kind.REJECTED, "job " + key + " " + where() + " runs "
                    + String.join(", ", found.get().components()) + ", not this submission's " + work.code()
                    + ": a job's name is unique in a workspace, and another job (another pipeline's, or one made by "
                    + "hand) has this one; delete that job, or run the pipeline in another workspace", false, null);
        }
        return found.map(job -> handle(key, job));
    }

    /** {@code GET} of job {@code name}: empty when the workspace has none of that name. */
    private Optional<JobResource> get(String name) {
        BearerClient.Answer found = arm.send("GET", target.job(name), null, "look up job " + name + " " + where());
        return switch (found.status()) {
            case 200 -> Optional.of(read(found, "looking up", name));
            case 404 -> Optional.empty();
            case 401, 403 -> throw refused(found, "read", name);
            default -> throw rejected(found, "looking up", name);
        };
    }

    @Override
    public JobState state(JobHandle job) {
        BearerClient.Answer found = arm.send("GET", target.job(job.id()), null, "ask after job " + job.id() + " "
                + where());
        switch (found.status()) {
            case 200:
                return AzureMlJobStatus.state(read(found, "asking after", job.id()));
            case 404:
                throw new JobException(Kind.REJECTED, "job " + job.id() + " is not in Azure ML workspace " + workspace()
                        + ArmError.parse(found.body()).describe() + ": it was deleted, or "
                        + AzureMlTarget.WORKSPACE_SETTING + " names another workspace than the one it was submitted "
                        + "to (" + job.workspace() + ")", false, null);
            case 401:
            case 403:
                throw refused(found, "read", job.id());
            default:
                throw rejected(found, "asking after", job.id());
        }
    }

    @Override
    public void cancel(JobHandle job) {
        BearerClient.Answer answer = arm.send("POST", target.jobCancel(job.id()), null, "cancel job " + job.id() + " "
                + where());
        switch (answer.status()) {
            case 200:
            case 202:
                LOG.info("job " + job.id() + " " + where() + ": cancellation asked for");
                return;
            case 400:
            case 409:
                // Azure ML refuses to cancel a job that is over: if it is, there is nothing to do.
                BearerClient.Answer found = arm.send("GET", target.job(job.id()), null, "ask after job " + job.id()
                        + " " + where());
                if (found.status() == 200) {
                    JobResource resource = read(found, "asking after", job.id());
                    if (AzureMlJobStatus.terminal(resource.status())) {
                        LOG.info("job " + job.id() + " " + where() + " is over already (" + resource.status() + "): "
                                + "left as it is");
                        return;
                    }
                }
                throw rejected(answer, "cancelling", job.id());
            case 401:
            case 403:
                throw refused(answer, "cancel", job.id());
            default:
                throw rejected(answer, "cancelling", job.id());
        }
    }

    private JobHandle handle(String key, JobResource job) {
        return new JobHandle(kind(), workspace(), job.name().isEmpty() ? key : job.name(), key, job.studio(),
                job.createdAt().orElseGet(clock::instant));
    }

    private JobResource read(BearerClient.Answer answer, String doing, String name) {
        try {
            return JobResource.read(answer.body());
        } catch (IllegalArgumentException e) {
            throw new JobException(Kind.UNAVAILABLE, "Azure ML's answer " + doing + " job " + name + " " + where()
                    + " cannot be read: " + e.getMessage() + "; a later delivery of the work asks again", true, e);
        }
    }

    private JobException refused(BearerClient.Answer answer, String doing, String name) {
        String why = answer.status() == 401
                ? "ARM does not take the app's token (HTTP 401" + inner(answer) + "): check that "
                + AzureMlTarget.ENDPOINT_SETTING + " is the workspace's cloud (" + target.endpoint() + " now) and that "
                + "the identity (AzureWebJobsStorage__clientId) is of the workspace's tenant"
                : "the app's identity may not " + doing + " jobs there (HTTP 403" + inner(answer) + "): grant it the "
                + AzureMlDataAssets.ROLE + " role on the workspace (infra/main.bicep does, given azureMlWorkspaceId), "
                + "then allow a few minutes for the assignment to apply";
        return new JobException(Kind.CREDENTIALS, "cannot " + doing + " job " + name + " " + where() + ": " + why,
                false, null);
    }

    private JobException rejected(BearerClient.Answer answer, String doing, String name) {
        return new JobException(Kind.REJECTED, "Azure ML refused " + doing + " job " + name + " " + where()
                + ": HTTP " + answer.status() + ArmError.parse(answer.body()).describe(), false, null);
    }

    /** {@code ", Code: message"} of an error answer, or nothing. */
    private static String inner(BearerClient.Answer answer) {
        String described = ArmError.parse(answer.body()).describe();
        return described.isEmpty() ? "" : ", " + described.substring(2, described.length() - 1);
    }

    private String where() {
        return "in Azure ML workspace " + workspace();
    }

    @Override
    public String toString() {
        return "Azure ML jobs in " + target;
    }
}
