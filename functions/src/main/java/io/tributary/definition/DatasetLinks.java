package io.tributary.definition;

import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Problem;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.trigger.DatasetTrigger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what one definition cannot tell alone about its {@code dataset} trigger: that the upstream pipeline
 * exists, writes Parquet, and that following upstreams never leads back (a cycle would start runs forever). A
 * definition with such a problem is removed from the catalog, like any broken one.
 */
final class DatasetLinks {

    private static final String POINTER = "/trigger/pipeline";

    private DatasetLinks() {
    }

    /**
     * @param pipelines the definitions that read without problems, by name; those found wrong are removed
     * @param fileOf    each definition's file, by pipeline name
     * @param elsewhere names of further definition files (beside the checked ones) that count as existing
     */
    static List<Problem> check(Map<String, PipelineDefinition> pipelines, Map<String, String> fileOf,
                               Set<String> elsewhere) {
        List<Problem> problems = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (PipelineDefinition d : pipelines.values()) {
            if (d.dataset().isEmpty()) {
                continue;
            }
            String upstream = d.dataset().get().pipeline();
            PipelineDefinition up = pipelines.get(upstream);
            String message = null;
            if (up == null && !elsewhere.contains(upstream)) {
                Set<String> known = new java.util.TreeSet<>(pipelines.keySet());
                known.addAll(elsewhere);
                known.remove(d.name());
                message = "no pipeline named '" + upstream + "'" + Suggestions.didYouMean(upstream, known)
                        + "; a dataset trigger names the pipeline whose commits start runs, one of: "
                        + (known.isEmpty() ? "(none)" : String.join(", ", known));
            } else if (up != null && !up.output().format().equals("parquet")) {
                message = "pipeline '" + upstream + "' writes " + up.output().format() + "; a dataset trigger reads "
                        + "Parquet parts, so give '" + upstream + "' \"output\": {\"format\": \"parquet\"} or consume "
                        + "another pipeline";
            } else {
                List<String> cycle = cycle(d.name(), pipelines);
                if (!cycle.isEmpty()) {
                    message = "the dataset triggers form a cycle: " + String.join(" → ", cycle) + "; each commit would "
                            + "start the next run forever, so break it (a pipeline cannot consume its own dataset, "
                            + "nor one made from it)";
                }
            }
            if (message != null) {
                wrong.add(d.name());
                problems.add(problem(fileOf.getOrDefault(d.name(), d.name() + ".json"), d, message));
            }
        }
        wrong.forEach(pipelines::remove);
        return problems;
    }

    /** The pipelines from {@code start} upstream back to {@code start}, or empty when the chain ends. */
    private static List<String> cycle(String start, Map<String, PipelineDefinition> pipelines) {
        Set<String> seen = new LinkedHashSet<>();
        String current = start;
        while (current != null && seen.add(current)) {
            PipelineDefinition d = pipelines.get(current);
            current = d == null ? null : d.dataset().map(DatasetTrigger::pipeline).orElse(null);
        }
        if (!start.equals(current)) {
            return List.of();
        }
        List<String> path = new ArrayList<>(seen);
        path.add(start);
        return path;
    }

    private static Problem problem(String file, PipelineDefinition d, String message) {
        int[] at;
        try {
            at = LocatedJson.parse(d.text()).position(POINTER, false);
        } catch (IOException e) {
            at = new int[] {1, 1};
        }
        return new Problem(file, at[0], at[1], POINTER, message);
    }
}
