package io.tributary.lineage;

import io.tributary.run.RunId;
import io.tributary.run.Manifest;
import io.tributary.run.RunRecord;
import java.util.List;
import java.util.Optional;

/** What the lineage is built from: run records, committed manifests, and which pipelines consume which. */
public interface LineageSource {

    /** What started the run, or empty for a run id that names no run. */
    Optional<RunRecord> record(RunId runId);

    /** The committed manifest of the run, or empty while it is not committed (or when it failed). */
    Optional<Manifest> manifest(String pipeline, RunId runId);

    /** The newest committed run of the pipeline, or empty before its first commit. */
    Optional<RunId> latest(String pipeline);

    /** The pipelines whose {@code dataset} trigger names {@code pipeline}. */
    List<String> consumers(String pipeline);

    /** The jobs the run's steps started on distributed engines, each attempt's record; none by default. */
    default List<io.tributary.run.JobRecord> jobs(RunId runId) {
        return List.of();
    }
}
