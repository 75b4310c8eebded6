package io.tributary.azureml;

import io.tributary.job.AzureMlWork;
import io.tributary.job.JobSubmission;
import io.tributary.run.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code Jobs_CreateOrUpdate} for a submission's Azure ML work: always a pipeline job ({@code jobType:
 * Pipeline}), since a command job cannot name a registered component by id alone.
 *
 * <ul>
 *   <li>A pipeline component is the job's own {@code componentId}, with {@code jobs: {}} (what azure-ai-ml sends for
 *       a pipeline job of a registered pipeline component).</li>
 *   <li>A command component is the one node {@value #NODE} of {@code jobs}, in the node shape azure-ai-ml's REST
 *       objects have (snake_case; its own inputs and outputs bound to the pipeline's by {@code ${{parent.inputs.x}}}
 *       and {@code ${{parent.outputs.y}}}; the submission's timeout as its {@code limits}). The node schema is untyped
 *       in ARM's specification: the shape is read from the SDK, not from a REST contract.</li>
 * </ul>
 * The pipeline's {@code inputs} are literals ({@code {"jobInputType": "literal", "value": …}}) or assets
 * ({@code {"jobInputType": TYPE, "uri": …}}), its {@code outputs} {@code {"jobOutputType": TYPE}}; a cluster is
 * {@code settings.default_compute} (its ARM resource id), serverless compute is no compute at all.
 */
final class PipelineJobBody {

    /** The name of the one node a command component runs as. */
    static final String NODE = "tributary";
    static final String LITERAL = "literal";

    private PipelineJobBody() {
    }

    /**
     * @throws IllegalArgumentException when the work's component is not a reference ARM can take
     */
    static String of(JobSubmission submission, AzureMlWork work, AzureMlWorkspace workspace) {
        String component = AzureMlReferences.component(work.component(), workspace);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("jobType", "Pipeline");
        properties.put("displayName", submission.name());
        properties.put("experimentName", work.experiment());
        properties.put("tags", new java.util.TreeMap<>(submission.tags()));
        Map<String, Object> inputs = new LinkedHashMap<>();
        work.inputs().forEach((name, input) -> inputs.put(name, LITERAL.equals(input.type())
                ? ordered("jobInputType", LITERAL, "value", input.value())
                : ordered("jobInputType", input.type(), "uri", AzureMlReferences.dataUri(input.value(), workspace))));
        properties.put("inputs", inputs);
        Map<String, Object> outputs = new LinkedHashMap<>();
        work.outputs().forEach((name, type) -> outputs.put(name, Map.of("jobOutputType", type)));
        properties.put("outputs", outputs);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (work.cluster() != null && !work.cluster().isBlank()) {
            settings.put("default_compute", workspace.resourceId() + "/computes/" + work.cluster().strip());
        }
        properties.put("settings", settings);
        if (work.pipeline()) {
            properties.put("componentId", component);
            properties.put("jobs", Map.of());
        } else {
            properties.put("jobs", Map.of(NODE, node(component, work, submission.timeout())));
        }
        return Json.compact(Map.of("properties", properties));
    }

    /** The one node that runs a command component, its inputs and outputs bound to the pipeline's. */
    private static Map<String, Object> node(String component, AzureMlWork work, Duration timeout) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", "command");
        node.put("name", NODE);
        node.put("componentId", component);
        Map<String, Object> inputs = new LinkedHashMap<>();
        work.inputs().keySet().forEach(name -> inputs.put(name,
                ordered("job_input_type", LITERAL, "value", "${{parent.inputs." + name + "}}")));
        node.put("inputs", inputs);
        Map<String, Object> outputs = new LinkedHashMap<>();
        work.outputs().keySet().forEach(name -> outputs.put(name,
                ordered("type", LITERAL, "value", "${{parent.outputs." + name + "}}")));
        node.put("outputs", outputs);
        long seconds = timeout.toSeconds();
        if (seconds > 0) {
            // ISO 8601, to the second, as CommandJobLimits takes it: the service cancels the node after it.
            node.put("limits", ordered("job_limits_type", "Command", "timeout", Duration.ofSeconds(seconds).toString()));
        }
        return node;
    }

    private static Map<String, Object> ordered(String name, Object value, String name2, Object value2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(name, value);
        map.put(name2, value2);
        return map;
    }
}
