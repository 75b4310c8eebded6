package io.tributary.job;

import java.time.Instant;
import java.util.Objects;

/**
 * An external job a run step started: enough to ask after it, cancel it and show it, kept in the run's folder.
 *
 * @param compute     {@code databricks}, {@code synapse} or {@code azureml}
 * @param workspace   the workspace it runs in, as its compute names it (a URL, a resource id)
 * @param id          the job's id there: a Databricks run id, a Synapse batch id, an Azure ML job name
 * @param key         the submission's key ({@link JobSubmission#key()}), which names it for a second submit
 * @param link        the engine's page for the job, or empty
 * @param submittedAt when it was submitted
 */
public record JobHandle(String compute, String workspace, String id, String key, String link, Instant submittedAt) {
    public JobHandle {
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        workspace = workspace == null ? "" : workspace;
        link = link == null ? "" : link;
    }
}
