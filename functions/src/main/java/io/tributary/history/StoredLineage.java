package io.tributary.history;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.lineage.LineageSource;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.stage.RunStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The lineage as storage holds it: run records, committed manifests, {@code latest.json}, and the definitions. */
public final class StoredLineage implements LineageSource {

    private final RunStore runs;
    private final Supplier<PipelineCatalog> catalog;

    public StoredLineage(RunStore runs, Supplier<PipelineCatalog> catalog) {
        this.runs = runs;
        this.catalog = catalog;
    }

    @Override
    public Optional<RunRecord> record(RunId runId) {
        return runs.record(runId);
    }

    @Override
    public Optional<Manifest> manifest(String pipeline, RunId runId) {
        return runs.blobs().read(RunLayout.TRAINING, RunLayout.manifest(pipeline, runId))
                .map(v -> Json.read(v.content(), Manifest.class));
    }

    @Override
    public Optional<RunId> latest(String pipeline) {
        return runs.blobs().read(RunLayout.TRAINING, RunLayout.latest(pipeline))
                .map(v -> Json.read(v.content(), LatestPointer.class).runId());
    }

    @Override
    public List<io.tributary.run.JobRecord> jobs(RunId runId) {
        return runs.blobs().list(RunLayout.RUNS, RunLayout.jobsPrefix(runId)).stream()
                .filter(name -> name.endsWith(".json") && name.indexOf('/', RunLayout.jobsPrefix(runId).length()) < 0)
                .sorted()
                .flatMap(name -> runs.blobs().read(RunLayout.RUNS, name).stream())
                .map(v -> Json.read(v.content(), io.tributary.run.JobRecord.class)).toList();
    }

    @Override
    public List<String> consumers(String pipeline) {
        return catalog.get().consumersOf(pipeline).stream().map(PipelineDefinition::name).toList();
    }
}
