package io.tributary.definition;

import io.tributary.definition.read.DefinitionLimits;
import io.tributary.definition.read.Problem;
import io.tributary.definition.read.Suggestions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The pipeline definitions of one folder ({@code pipeline-defs/}): every {@code *.json} directly in
 * it. A broken definition is reported in {@link #problems()} and left out; the others still load.
 */
public final class PipelineCatalog {

    private final Map<String, PipelineDefinition> pipelines;
    private final List<Problem> problems;

    private PipelineCatalog(Map<String, PipelineDefinition> pipelines, List<Problem> problems) {
        this.pipelines = pipelines;
        this.problems = problems;
    }

    /**
     * Loads the definitions of {@code folder}.
     *
     * @param check  what else to check of each definition (the engine's view of its SQL)
     * @param access the settings and containers definitions may use (the app's, read once at start)
     */
    public static PipelineCatalog load(Path folder, DefinitionCheck check, DefinitionAccess access) {
        if (!Files.isDirectory(folder)) {
            return new PipelineCatalog(Map.of(), List.of(new Problem(folder.toString(), 0, 0, "",
                    "no such folder; point TRIBUTARY_PIPELINE_DEFS at the folder that holds the pipeline definitions")));
        }
        try (Stream<Path> files = Files.list(folder)) {
            return load(files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList(), check,
                    access);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the given definition files. */
    public static PipelineCatalog load(List<Path> files, DefinitionCheck check, DefinitionAccess access) {
        Map<String, PipelineDefinition> pipelines = new TreeMap<>();
        Map<String, String> fileOf = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String expectedName = fileName.endsWith(".json")
                    ? fileName.substring(0, fileName.length() - ".json".length()) : null;
            DefinitionResult result = read(file, expectedName, check, access);
            problems.addAll(result.problems());
            result.definition().ifPresent(d -> {
                pipelines.put(d.name(), d);
                fileOf.put(d.name(), file.toString());
            });
        }
        problems.addAll(DatasetLinks.check(pipelines, fileOf, siblings(files)));
        return new PipelineCatalog(pipelines, List.copyOf(problems));
    }

    /** One file's definition or problems; a file too large is not read at all. */
    private static DefinitionResult read(Path file, String expectedName, DefinitionCheck check,
                                         DefinitionAccess access) {
        try {
            long size = Files.size(file);
            if (size > DefinitionLimits.MAX_FILE_BYTES) {
                return DefinitionReader.tooLarge(file.toString(), size + " bytes");
            }
            return DefinitionReader.read(file.toString(), Files.readAllBytes(file), expectedName, check, access);
        } catch (IOException | RuntimeException e) {
            return DefinitionResult.failed(List.of(new Problem(file.toString(), 0, 0, "", "cannot read the file ("
                    + e + "); check that it exists and can be read")));
        }
    }

    /** The pipeline names of the definition files beside {@code files}: an upstream validated on its own exists. */
    private static java.util.Set<String> siblings(List<Path> files) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path folder : files.stream().map(f -> f.toAbsolutePath().getParent()).distinct().toList()) {
            try (Stream<Path> list = Files.list(folder)) {
                list.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .forEach(n -> names.add(n.substring(0, n.length() - ".json".length())));
            } catch (IOException | RuntimeException e) {
                // A folder that cannot be listed adds no names; the definitions given still count.
            }
        }
        return names;
    }

    /** The pipelines with a {@code dataset} trigger on {@code upstream}: the runs its commits start. */
    public List<PipelineDefinition> consumersOf(String upstream) {
        return pipelines.values().stream()
                .filter(d -> d.dataset().map(t -> t.pipeline().equals(upstream)).orElse(false))
                .toList();
    }

    /** A catalog of definitions read already, without problems (for tests and tools). */
    public static PipelineCatalog of(List<PipelineDefinition> definitions) {
        Map<String, PipelineDefinition> pipelines = new java.util.TreeMap<>();
        definitions.forEach(d -> pipelines.put(d.name(), d));
        return new PipelineCatalog(pipelines, List.of());
    }

    public Optional<PipelineDefinition> find(String name) {
        return Optional.ofNullable(pipelines.get(name));
    }

    /**
     * The pipeline named {@code name}.
     *
     * @throws IllegalArgumentException naming the available pipelines when there is none of that name
     */
    public PipelineDefinition get(String name) {
        PipelineDefinition definition = pipelines.get(name);
        List<Problem> own = problems.stream()
                .filter(p -> java.nio.file.Path.of(p.file()).getFileName().toString().equals(name + ".json")).toList();
        if (definition == null && !own.isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "' has " + own.size() + " problem"
                    + (own.size() == 1 ? "" : "s") + " and was not loaded, first " + own.get(0).format()
                    + " ('tributary validate' lists them all)");
        }
        if (definition == null) {
            throw new IllegalArgumentException(noSuch(name));
        }
        return definition;
    }

    /** Whether a definition of that name exists here, loaded or with problems. */
    public boolean defines(String name) {
        return pipelines.containsKey(name) || problems.stream()
                .anyMatch(p -> java.nio.file.Path.of(p.file()).getFileName().toString().equals(name + ".json"));
    }

    /** What to say of a name no definition has: {@code no pipeline named 'ordres'; did you mean 'orders'?; …}. */
    public String noSuch(String name) {
        return "no pipeline named '" + name + "'" + Suggestions.didYouMean(name, pipelines.keySet()) + "; available: "
                + (pipelines.isEmpty() ? "(none)" : String.join(", ", pipelines.keySet()));
    }

    /** The pipelines whose file-drop path matches {@code blobName} (inside the landing container). */
    public List<PipelineDefinition> listeningTo(String blobName) {
        return pipelines.values().stream()
                .filter(d -> d.fileDrop().map(t -> t.matches(blobName)).orElse(false))
                .toList();
    }

    public List<PipelineDefinition> all() {
        return List.copyOf(pipelines.values());
    }

    public List<Problem> problems() {
        return problems;
    }
}
