package io.tributary.port;

import io.tributary.job.JobHandle;
import io.tributary.job.JobState;
import io.tributary.job.JobSubmission;
import java.util.Optional;

/**
 * A distributed engine that runs a run step's job: an Azure Databricks workspace, a Synapse workspace's Spark pools,
 * an Azure Machine Learning workspace (or a local stand-in that answers the same way). Every call returns at once:
 * nothing here waits for a job, the job stage asks again later through a delayed queue message.
 */
public interface JobCompute {

    /** {@code databricks}, {@code synapse} or {@code azureml}: the {@code JobWork#compute()} it runs. */
    String kind();

    /** The workspace, as handles and messages name it (a URL, a resource id). */
    String workspace();

    /**
     * Submits {@code submission} once: a second call with the same key, on any instance, at any later time, finds the
     * job the first started (by Databricks' idempotency token, an Azure ML job named by the key, a Synapse batch
     * tagged with it) and returns its handle, starting nothing.
     *
     * @throws JobException classified; {@link JobException#retryable()} ones are tried again by the queue
     */
    JobHandle submit(JobSubmission submission);

    /**
     * The job {@code submission} started (the one with its {@link JobSubmission#key() key}), if the compute knows one:
     * what a step looks for before it submits again after a crash or a lost answer, where the compute has no
     * idempotency of its own. The whole submission is given, not only its key, because some computes can only look
     * where its work runs (a Synapse batch is found in the list of its Spark pool's batches).
     */
    Optional<JobHandle> find(JobSubmission submission);

    /** Where {@code job} stands now. */
    JobState state(JobHandle job);

    /** Asks the compute to cancel {@code job}; a job that is over already is left as it is. */
    void cancel(JobHandle job);
}
