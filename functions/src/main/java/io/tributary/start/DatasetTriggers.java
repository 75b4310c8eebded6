package io.tributary.start;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.stage.DownstreamRuns;
import java.util.List;
import java.util.function.Supplier;

/**
 * Starts the runs of the pipelines whose {@code dataset} trigger names a pipeline that just committed. Each run's
 * id follows from (consumer, upstream run): a store delivered again, before or after its run ended, finds the runs
 * started and starts nothing ({@link RunStarter}). The run reads the committed {@code _manifest.json}, at its
 * version, and through it the dataset's parts.
 */
public final class DatasetTriggers implements DownstreamRuns {

    private final Supplier<PipelineCatalog> catalog;
    private final RunStarter starter;
    private final BlobStore blobs;

    public DatasetTriggers(Supplier<PipelineCatalog> catalog, RunStarter starter, BlobStore blobs) {
        this.catalog = catalog;
        this.starter = starter;
        this.blobs = blobs;
    }

    /** Starts (or finds started) a run of every pipeline that consumes {@code committed}'s pipeline. */
    @Override
    public void committed(Manifest committed) {
        List<PipelineDefinition> consumers = catalog.get().consumersOf(committed.pipeline());
        if (consumers.isEmpty()) {
            return;
        }
        String name = RunLayout.manifest(committed.pipeline(), committed.runId());
        BlobInfo info = blobs.properties(RunLayout.TRAINING, name).orElseThrow(() -> new IllegalStateException(
                "the manifest " + RunLayout.TRAINING + "/" + name + " of a committed run is gone"));
        BlobRef manifest = new BlobRef(RunLayout.TRAINING, name, info.etag());
        RunRecord.Upstream upstream = new RunRecord.Upstream(committed.pipeline(), committed.runId());
        for (PipelineDefinition consumer : consumers) {
            starter.start(consumer, RunId.forDataset(consumer.name(), committed.runId(), committed.committedAt()),
                    manifest, upstream);
        }
    }
}
