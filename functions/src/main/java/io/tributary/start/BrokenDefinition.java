package io.tributary.start;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import io.tributary.definition.trigger.FileDropTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A definition file that did not load, with its problems: the host skips it, so its pipeline starts no run until it
 * is fixed. Its trigger path, when its JSON still names one, tells a drop meant for it from a drop no pipeline wants.
 *
 * @param file        the definition file, as the catalog read it
 * @param problems    what is wrong with it, in the order found (at least one)
 * @param landingPath the {@code trigger.path} its JSON names, if it can be read
 */
public record BrokenDefinition(String file, List<Problem> problems, Optional<String> landingPath) {

    public BrokenDefinition {
        problems = List.copyOf(problems);
    }

    /** The definition files of {@code catalog} that did not load, in file order. */
    public static List<BrokenDefinition> of(PipelineCatalog catalog) {
        Set<String> loaded = catalog.all().stream().map(PipelineDefinition::name).collect(Collectors.toSet());
        Map<String, List<Problem>> byFile = new LinkedHashMap<>();
        for (Problem problem : catalog.problems()) {
            if (!loaded.contains(pipelineName(problem.file()))) {
                byFile.computeIfAbsent(problem.file(), f -> new ArrayList<>()).add(problem);
            }
        }
        return byFile.entrySet().stream()
                .map(e -> new BrokenDefinition(e.getKey(), e.getValue(), landingPathIn(Path.of(e.getKey()))))
                .toList();
    }

    /** The first problem, as {@code tributary validate} prints it: {@code file:line:col: /pointer: message}. */
    public String firstProblem() {
        return problems.get(0).format();
    }

    /** The pipeline the file is named after. */
    public String pipeline() {
        return pipelineName(file);
    }

    /**
     * Whether a file landing as {@code blobName} is meant for this pipeline: its trigger path matches it, or, when the
     * JSON names none that can be read, it lies in the folder named after the pipeline.
     */
    public boolean wouldTake(String blobName) {
        if (landingPath.isPresent()) {
            try {
                return new FileDropTrigger(landingPath.get()).matches(blobName);
            } catch (RuntimeException e) {
                // A path the reader refused is one of the problems; fall back to the pipeline's folder.
            }
        }
        return blobName.startsWith(pipeline() + "/");
    }

    /** What a drop meant for this pipeline is told: which file is broken, its first problem and what to do. */
    public String dropRefusal(String landingName) {
        return landingName + " is meant for pipeline '" + pipeline() + "', whose definition " + file + " is broken and "
                + "was not loaded, so no run starts: " + firstProblem() + (problems.size() == 1 ? ""
                : " (and " + (problems.size() - 1) + " more; 'tributary validate' lists them)")
                + ". Fix the definition, then drop the file again";
    }

    private static String pipelineName(String file) {
        String name = Path.of(file).getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    private static Optional<String> landingPathIn(Path file) {
        try {
            JsonNode path = new ObjectMapper().readTree(Files.readString(file)).path("trigger").path("path");
            return path.isTextual() && !path.asText().isBlank() ? Optional.of(path.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
