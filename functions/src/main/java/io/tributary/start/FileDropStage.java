package io.tributary.start;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a blob that landed in the {@code landing} container into a run of every pipeline whose
 * file-drop path matches it. A blob no pipeline listens to is left where it is; an empty one starts only the runs
 * of pipelines that ask for empty files.
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

    /**
     * What became of a drop.
     *
     * @param runs        the runs started (or found started) for it
     * @param explanation what happened, for a person
     * @param captures    for each pipeline whose trigger path matched, by name, the values its {@code {name}}
     *                    captures took (empty for a path without captures), whether or not it ran: the run
     *                    parameters of its run
     */
    public record Outcome(List<RunStarter.Started> runs, String explanation, Map<String, Map<String, String>> captures) {

        public Outcome {
            captures = Map.copyOf(captures);
        }

        public Outcome(List<RunStarter.Started> runs, String explanation) {
            this(runs, explanation, Map.of());
        }
    }

    /**
     * The pipelines listening to {@code name}, each with the values its path captures from the name, in the
     * catalog's order.
     */
    public Map<PipelineDefinition, Map<String, String>> matching(String name) {
        Map<PipelineDefinition, Map<String, String>> matching = new LinkedHashMap<>();
        for (PipelineDefinition pipeline : catalog.get().listeningTo(name)) {
            matching.put(pipeline, pipeline.fileDrop().flatMap(t -> t.match(name)).orElse(Map.of()));
        }
        return matching;
    }

    /**
     * Handles the drop of {@code name} (inside the landing container).
     *
     * @param version the blob's properties as the trigger saw them, or empty to read them now
     */
    public Outcome drop(String name, Optional<BlobInfo> version) {
        Map<PipelineDefinition, Map<String, String>> matching = matching(name);
        if (matching.isEmpty()) {
            Optional<BrokenDefinition> meantFor = BrokenDefinition.of(catalog.get()).stream()
                    .filter(b -> b.wouldTake(name)).findFirst();
            if (meantFor.isPresent()) {
                return new Outcome(List.of(), meantFor.get().dropRefusal(RunLayout.LANDING + "/" + name)
                        + " (it was left in place).");
            }
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
        Map<String, Map<String, String>> captures = new LinkedHashMap<>();
        matching.forEach((p, values) -> captures.put(p.name(), values));
        BlobRef source = new BlobRef(RunLayout.LANDING, name, info.get().etag());
        List<String> said = new ArrayList<>();
        List<RunStarter.Started> runs = new ArrayList<>();
        for (PipelineDefinition p : matching.keySet()) {
            if (info.get().size() == 0 && !p.fileDrop().orElseThrow().runsOnEmptyFiles()) {
                said.add("the file is empty (0 bytes), so " + p.name() + " ignored it (set \"emptyFiles\": \"run\" "
                        + "in its trigger to run on empty files)");
                continue;
            }
            RunStarter.Started run = starter.start(p, RunId.forDrop(p.name(), source, info.get().lastModified()), source,
                    "fileDrop", captures.get(p.name()));
            runs.add(run);
            said.add((run.isNew() ? "started run " : "already started: run ") + run.pipeline() + "/" + run.runId()
                    + (captures.get(p.name()).isEmpty() ? "" : " with " + captures.get(p.name())));
        }
        return new Outcome(runs, RunLayout.LANDING + "/" + name + ": " + String.join("; ", said), captures);
    }
}
