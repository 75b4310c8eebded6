package io.tributary.stage;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a blob that landed in the {@code landing} container into a run of every pipeline whose
 * file-drop path matches it. A blob no pipeline listens to is left where it is.
 */
public final class FileDropStage {

    private final Supplier<PipelineCatalog> catalog;
    private final RunStarter starter;
    private final BlobStore blobs;

    /** @param catalog the current definitions, asked afresh for every drop or tick */
    public FileDropStage(Supplier<PipelineCatalog> catalog, RunStarter starter, BlobStore blobs) {
        this.catalog = catalog;
        this.starter = starter;
        this.blobs = blobs;
    }

    /** What became of a drop. */
    public record Outcome(List<RunStarter.Started> runs, String explanation) {
    }

    /**
     * Handles the drop of {@code name} (inside the landing container).
     *
     * @param version the blob's properties as the trigger saw them, or empty to read them now
     */
    public Outcome drop(String name, Optional<BlobInfo> version) {
        List<PipelineDefinition> pipelines = catalog.get().listeningTo(name);
        if (pipelines.isEmpty()) {
            String listening = catalog.get().all().stream()
                    .filter(p -> p.fileDrop().isPresent())
                    .map(p -> p.name() + " ← " + RunLayout.LANDING + "/" + p.fileDrop().get().path())
                    .reduce((a, b) -> a + ", " + b).orElse("none");
            long broken = catalog.get().problems().stream().map(p -> p.file()).distinct().count();
            return new Outcome(List.of(), RunLayout.LANDING + "/" + name + ": no pipeline listens to this path, so it "
                    + "was left in place. Pipelines listening: " + listening
                    + ". Move the file under a listened path or add a pipeline whose trigger.path matches it"
                    + (broken == 0 ? "." : "; " + broken + " definition" + (broken == 1 ? " has" : "s have")
                    + " problems and " + (broken == 1 ? "was" : "were") + " skipped ('tributary validate'), so drop "
                    + "the file again once " + (broken == 1 ? "it is" : "they are") + " fixed."));
        }
        Optional<BlobInfo> info = version.or(() -> blobs.properties(RunLayout.LANDING, name));
        if (info.isEmpty()) {
            return new Outcome(List.of(), RunLayout.LANDING + "/" + name + " was deleted before a run could start");
        }
        BlobRef source = new BlobRef(RunLayout.LANDING, name, info.get().etag());
        List<RunStarter.Started> runs = pipelines.stream()
                .map(p -> starter.start(p, RunId.forDrop(p.name(), source, info.get().lastModified()), source, "fileDrop", Map.of()))
                .toList();
        String explanation = runs.stream()
                .map(r -> (r.isNew() ? "started run " : "already started: run ") + r.pipeline() + "/" + r.runId())
                .reduce((a, b) -> a + "; " + b).orElse("");
        return new Outcome(runs, RunLayout.LANDING + "/" + name + ": " + explanation);
    }
}
