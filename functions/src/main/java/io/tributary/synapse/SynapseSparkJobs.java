package io.tributary.synapse;

import com.azure.core.credential.TokenCredential;
import io.tributary.cloud.BearerClient;
import io.tributary.cloud.BearerClient.Resend;
import io.tributary.cloud.CallRetry;
import io.tributary.cloud.Loopback;
import io.tributary.fetch.Sleeper;
import io.tributary.job.JobHandle;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import io.tributary.job.SynapseWork;
import io.tributary.port.JobCompute;
import io.tributary.port.JobException;
import io.tributary.port.JobException.Kind;
import io.tributary.run.LogContext;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs job stages' Spark batches on a Synapse workspace's Spark pools through the Synapse Spark batch API (Livy's
 * batches: {@code {endpoint}/livyApi/versions/{v}/sparkPools/{pool}/batches}), with a token of the app's identity for
 * {@link SynapseTarget#scope()}. Nothing here waits for a batch: each call is one question.
 *
 * <p>Synapse has no idempotency key, so a submit is made findable instead: the batch is named by the submission's key
 * and tagged with it ({@value SparkBatchBody#KEY_TAG}); {@link #submit} first looks for a batch with the key in the
 * pool's list ({@link #find}, see {@link BatchLookup}) and returns it when there is one; the {@code POST} is sent once
 * ({@link Resend#NEVER}): an answer lost on its way back is reported as unavailable, and the next delivery's look-up
 * finds the batch if it was made. A handle's id is {@code {pool}/{batchId}}.
 *
 * <p>What Synapse answers is classified as a source's failures are: 401 (after one fresh token) and 403
 * {@code credentials:} (the identity needs the {@value #ROLE} role on the pool or the workspace); 404 {@code
 * rejected:} (no such pool, or batch); other 4xx {@code rejected:} with the service's message; 429, 5xx, a lost or
 * unanswered request, once {@link CallRetry} runs out (at once for the submit's {@code POST}), {@code unavailable:}
 * and retryable.
 */
public final class SynapseSparkJobs implements JobCompute {

    /**
     * The least Synapse RBAC role that may submit Spark batches to a pool and cancel them ({@code
     * bigDataPools/useCompute/action}, {@code viewLogs/action}, {@code workspaces/read}); it may not change the
     * workspace's artifacts.
     */
    public static final String ROLE = "Synapse Compute Operator";
    /** The compute's name in handles and definitions. */
    public static final String KIND = "synapse";

    private static final Logger LOG = LogContext.logger(SynapseSparkJobs.class);
    /** A pool's name: one path segment; Synapse itself allows letters and digits. */
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HANDLE_ID = Pattern.compile("([A-Za-z0-9_-]{1,64})/(\\d{1,10})");

    private final SynapseTarget target;
    private final BearerClient synapse;
    private final Clock clock;

    /**
     * @param target     the workspace
     * @param credential where tokens for Synapse come from (the app's {@code DefaultAzureCredential}; for a stand-in
     *                   on the loopback address, {@link Loopback#standIn()})
     * @param http       the HTTP client
     */
    public SynapseSparkJobs(SynapseTarget target, TokenCredential credential, HttpClient http, CallRetry retry,
                            Sleeper sleeper, Clock clock) {
        this.target = target;
        this.clock = clock;
        this.synapse = BearerClient.forJobs(http, credential, target.scope(), retry, sleeper, clock, "Synapse",
                body -> SynapseError.parse(body).describe());
    }

    /**
     * The client the app uses: {@link CallRetry#DEFAULT}, Java's HTTP client without redirects, and the app's
     * credential, or the stand-in's when the endpoint is on the loopback address.
     */
    public static SynapseSparkJobs create(SynapseTarget target, TokenCredential credential) {
        return new SynapseSparkJobs(target, Loopback.credentialFor(target.endpoint(), credential), BearerClient.http(),
                CallRetry.DEFAULT, Sleeper.REAL, Clock.systemUTC());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String workspace() {
        return target.endpoint().toString();
    }

    @Override
    public JobHandle submit(JobSubmission submission) {
        SynapseWork work = work(submission);
        Optional<JobHandle> found = find(submission);
        if (found.isPresent()) {
            LOG.info("Spark batch " + submission.key() + " was submitted before, as batch " + found.get().id() + " "
                    + where(work.pool()) + ": not submitted again");
            return found.get();
        }
        String body = SparkBatchBody.of(work, submission.key(), submission.tags());
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > SparkBatchBody.LIMIT) {
            throw new JobException(Kind.REJECTED, "Spark batch " + submission.key() + " " + where(work.pool())
                    + " is a request of " + (bytes / 1024) + " kB, and Synapse takes at most "
                    + (SparkBatchBody.LIMIT / 1024) + " kB: pass large values in a file (the work's files) rather "
                    + "than in its arguments or configuration", false, null);
        }
        String doing = "submit Spark batch " + submission.key() + " " + where(work.pool());
        BearerClient.Answer answer = synapse.send("POST", target.batches(work.pool()), body, doing, Resend.NEVER);
        int status = answer.status();
        if (status == 200 || status == 201 || status == 202) {
            SparkBatch batch;
            try {
                batch = SparkBatch.read(answer.body());
            } catch (IllegalArgumentException e) {
                throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Synapse answered HTTP " + status
                        + " without the batch's id (" + e.getMessage() + "); it may have been submitted, so the next "
                        + "delivery of the work looks for it before asking again", true, e);
            }
            LOG.info("Spark batch " + submission.key() + " submitted " + where(work.pool()) + " as batch " + batch.id()
                    + ": " + work.code());
            return handle(batch, work.pool(), submission.key(), clock.instant());
        }
        if (status / 100 == 5) {
            throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Synapse (" + target.endpoint().getHost()
                    + ") answered HTTP " + status + SynapseError.parse(answer.body()).describe() + "; it may have been "
                    + "submitted, so the next delivery of the work looks for it before asking again", true, null);
        }
        throw failed(answer, "submit Spark batch " + submission.key(), work.pool());
    }

    @Override
    public Optional<JobHandle> find(JobSubmission submission) {
        SynapseWork work = work(submission);
        String key = submission.key();
        String doing = "list the Spark batches " + where(work.pool()) + ", looking for " + key;
        Optional<SparkBatch> batch;
        try {
            batch = BatchLookup.find(key, (from, size) -> page(work.pool(), from, size, doing));
        } catch (BatchLookup.Unsearchable e) {
            throw new JobException(Kind.REJECTED, "cannot tell whether Spark batch " + key + " was submitted "
                    + where(work.pool()) + ": " + e.getMessage() + "; rather than perhaps run it twice it is not "
                    + "submitted: look for a batch named " + key + " in Synapse Studio (Monitor > Apache Spark "
                    + "applications)", false, e);
        }
        return batch.map(found -> handle(found, work.pool(), key,
                found.submittedAt() == null ? clock.instant() : found.submittedAt()));
    }

    private BatchPage page(String pool, int from, int size, String doing) {
        BearerClient.Answer answer = synapse.send("GET", target.batchList(pool, from, size), null, doing);
        if (answer.status() != 200) {
            throw failed(answer, "list the Spark batches", pool);
        }
        try {
            return BatchPage.read(answer.body());
        } catch (IllegalArgumentException e) {
            throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Synapse answered the list from " + from
                    + " with what is not a list of batches (" + e.getMessage() + "); a later delivery of the work "
                    + "tries again", true, e);
        }
    }

    @Override
    public JobState state(JobHandle job) {
        Batch ref = ref(job);
        String doing = "read Spark batch " + ref.id + " " + where(ref.pool);
        BearerClient.Answer answer = synapse.send("GET", target.batch(ref.pool, ref.id), null, doing);
        if (answer.status() == 404) {
            throw new JobException(Kind.REJECTED, "there is no Spark batch " + ref.id + " " + where(ref.pool)
                    + " (job " + job.key() + "; HTTP 404" + inner(answer) + "): it was deleted, or the pool no "
                    + "longer keeps it, so how it ended cannot be told", false, null);
        }
        SparkBatch batch = batch(answer, ref, doing);
        JobPhase phase = LivyStates.phase(batch.state(), batch.result());
        return new JobState(phase, LivyStates.text(batch.state(), batch.result()), message(batch, phase),
                link(batch.name().isEmpty() ? job.key() : batch.name(), ref.pool, batch));
    }

    @Override
    public void cancel(JobHandle job) {
        Batch ref = ref(job);
        String what = "Spark batch " + ref.id + " " + where(ref.pool);
        // Livy's DELETE removes a batch that has ended: one that is over is left as it is, with its record.
        String reading = "read " + what + " before cancelling it";
        BearerClient.Answer found = synapse.send("GET", target.batch(ref.pool, ref.id), null, reading);
        if (found.status() == 404) {
            LOG.info(what + " is gone: nothing to cancel");
            return;
        }
        SparkBatch batch = batch(found, ref, reading);
        if (LivyStates.phase(batch.state(), batch.result()).terminal()) {
            LOG.info(what + " is over (" + batch.state() + "): not cancelled");
            return;
        }
        BearerClient.Answer answer = synapse.send("DELETE", target.batchToCancel(ref.pool, ref.id), null,
                "cancel " + what);
        if (answer.status() / 100 == 2 || answer.status() == 404) {
            LOG.info(what + " cancelled (job " + job.key() + ")");
            return;
        }
        throw failed(answer, "cancel Spark batch " + ref.id, ref.pool);
    }

    /** The batch a GET's answer describes; a failure when it is not a 200 with a batch. */
    private SparkBatch batch(BearerClient.Answer answer, Batch ref, String doing) {
        if (answer.status() != 200) {
            throw failed(answer, "read Spark batch " + ref.id, ref.pool);
        }
        try {
            return SparkBatch.read(answer.body());
        } catch (IllegalArgumentException e) {
            throw new JobException(Kind.UNAVAILABLE, "could not " + doing + ": Synapse answered with what is not a "
                    + "batch (" + e.getMessage() + "); a later delivery of the work asks again", true, e);
        }
    }

    private JobHandle handle(SparkBatch batch, String pool, String key, Instant submittedAt) {
        return new JobHandle(KIND, workspace(), pool + "/" + batch.id(), key,
                link(batch.name().isEmpty() ? key : batch.name(), pool, batch), submittedAt);
    }

    /** Synapse Studio's page of the batch when the workspace's resource id is known, else its Spark UI, if any. */
    private String link(String name, String pool, SparkBatch batch) {
        return target.studioLink(name, pool, batch.id()).orElse(batch.sparkUiUrl());
    }

    /** Why the batch failed: its errors, else (when it failed) the last line of its log. */
    private static String message(SparkBatch batch, JobPhase phase) {
        if (!batch.errors().isEmpty()) {
            return String.join("; ", batch.errors());
        }
        if (phase != JobPhase.FAILED) {
            return "";
        }
        List<String> lines = batch.log().stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        String last = lines.get(lines.size() - 1);
        return last.length() > 500 ? last.substring(0, 500) + "…" : last;
    }

    private static SynapseWork work(JobSubmission submission) {
        if (!(submission.work() instanceof SynapseWork work)) {
            throw new IllegalArgumentException("job " + submission.key() + " runs on " + submission.work().compute()
                    + ", not on Synapse");
        }
        if (!POOL.matcher(work.pool()).matches()) {
            throw new JobException(Kind.REJECTED, "job " + submission.key() + " names the Spark pool '" + work.pool()
                    + "', which is not a pool's name (letters and digits): set the job's pool to one of the "
                    + "workspace's Apache Spark pools (Synapse Studio: Manage > Apache Spark pools)", false, null);
        }
        return work;
    }

    /** A handle's pool and batch id. */
    private record Batch(String pool, int id) {
    }

    private Batch ref(JobHandle job) {
        Matcher m = HANDLE_ID.matcher(job.id());
        if (!KIND.equals(job.compute()) || !m.matches()) {
            throw new IllegalArgumentException("job " + job.key() + " (" + job.compute() + " " + job.id() + ") is not "
                    + "a Synapse Spark batch");
        }
        if (!workspace().equals(job.workspace())) {
            throw new JobException(Kind.REJECTED, "job " + job.key() + " is Spark batch " + job.id() + " of Synapse "
                    + "workspace " + job.workspace() + ", but " + SynapseTarget.ENDPOINT_SETTING + " names "
                    + workspace() + " now: set it back while the job runs, or cancel the job in Synapse Studio", false,
                    null);
        }
        return new Batch(m.group(1), Integer.parseInt(m.group(2)));
    }

    private String where(String pool) {
        return "in Spark pool " + pool + " of Synapse workspace " + target.endpoint();
    }

    /** {@code ", Code: message"} of an error answer, or nothing. */
    private static String inner(BearerClient.Answer answer) {
        String text = SynapseError.parse(answer.body()).text();
        return text.isEmpty() ? "" : ", " + text;
    }

    /**
     * A failure of an answer that is not a success: credentials for 401/403, rejected else.
     *
     * @param doing what was asked, as {@code cannot …} says it: {@code submit Spark batch KEY}
     */
    private JobException failed(BearerClient.Answer answer, String doing, String pool) {
        String said = "HTTP " + answer.status() + inner(answer);
        String where = where(pool);
        return switch (answer.status()) {
            case 401 -> new JobException(Kind.CREDENTIALS, "cannot " + doing + " " + where + ": Synapse does not take the app's "
                    + "token (" + said + "): check that " + SynapseTarget.ENDPOINT_SETTING + " is the workspace's "
                    + "development endpoint (" + target.endpoint() + " now) and that the app's identity "
                    + "(AzureWebJobsStorage__clientId) is of the workspace's tenant; it needs the " + ROLE + " role on "
                    + "the pool or the workspace", false, null);
            case 403 -> new JobException(Kind.CREDENTIALS, "cannot " + doing + " " + where + ": the app's identity may not use "
                    + "the pool (" + said + "): grant it the " + ROLE + " role on Spark pool " + pool + " or on the "
                    + "workspace " + SynapseTarget.ENDPOINT_SETTING + " names (Synapse Studio: Manage > Access "
                    + "control), then allow a few minutes for the assignment to apply", false, null);
            case 404 -> new JobException(Kind.REJECTED, "cannot " + doing + ": there is no Spark pool " + pool + " in Synapse "
                    + "workspace " + target.endpoint() + " (" + said + "): set the job's pool to one of the "
                    + "workspace's Apache Spark pools (Synapse Studio: Manage > Apache Spark pools), or "
                    + SynapseTarget.ENDPOINT_SETTING + " to the workspace that has it", false, null);
            default -> new JobException(Kind.REJECTED, "Synapse refused to " + doing + " " + where + ": " + said, false,
                    null);
        };
    }

    @Override
    public String toString() {
        return "Spark batches of " + target;
    }
}
