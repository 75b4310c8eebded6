package io.tributary.definition.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.job.AzureMlWork;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job's {@code "azureml"}: a registered {@code component} (a command component) or {@code pipeline} (a
 * pipeline component) run as a job in the app's Azure Machine Learning workspace, with its inputs and outputs.
 */
final class AzureMlReader {

    private static final Set<String> FIELDS = Set.of("component", "pipeline", "cluster", "experiment", "inputs",
            "outputs");
    static final List<String> INPUT_TYPES = List.of("uri_folder", "uri_file", "mltable", "literal");
    static final List<String> OUTPUT_TYPES = List.of("uri_folder", "uri_file", "mltable", "mlflow_model",
            "custom_model");
    private static final String COMPONENT_FORM = "\"azureml:NAME:VERSION\" (as 'az ml component list' shows it) or "
            + "the component version's resource id";

    private final WorkFields work;
    private final Fields fields;

    AzureMlReader(WorkFields work) {
        this.work = work;
        this.fields = work.fields();
    }

    Optional<AzureMlWork> read(JsonNode node, String at) {
        if (!fields.object(node, at, FIELDS)) {
            return Optional.empty();
        }
        boolean pipeline = node.has("pipeline");
        if (pipeline == node.has("component")) {
            fields.problem(at, pipeline ? "give \"component\" or \"pipeline\", not both" : "name the work: "
                    + "\"component\" (a command component) or \"pipeline\" (a pipeline component), each "
                    + COMPONENT_FORM);
            return Optional.empty();
        }
        String field = pipeline ? "pipeline" : "component";
        String component = fields.string(node, at, field, true);
        if (component != null && !component.startsWith("azureml:") && !component.startsWith("/subscriptions/")
                && !component.startsWith("%")) {
            fields.problem(at + "/" + field, "'" + component + "' is not a registered component; write "
                    + COMPONENT_FORM);
            component = null;
        }
        String cluster = fields.string(node, at, "cluster", false);
        String experiment = fields.string(node, at, "experiment", false);
        Map<String, AzureMlWork.Input> inputs = inputs(node.get("inputs"), at + "/inputs");
        Map<String, String> outputs = work.stringMap(node, at, "outputs");
        outputs.forEach((name, type) -> {
            if (!OUTPUT_TYPES.contains(type)) {
                fields.problem(at + "/outputs/" + LocatedJson.escape(name), "unknown output type '" + type
                        + "'; allowed: " + String.join(", ", OUTPUT_TYPES));
            }
        });
        return component == null ? Optional.empty()
                : Optional.of(new AzureMlWork(component, pipeline, cluster, experiment, inputs, outputs));
    }

    /** {@code {"NAME": {"type": "mltable", "value": "${split.train.uri}"}}}. */
    private Map<String, AzureMlWork.Input> inputs(JsonNode node, String at) {
        Map<String, AzureMlWork.Input> inputs = new LinkedHashMap<>();
        if (node == null) {
            return inputs;
        }
        if (!node.isObject()) {
            fields.problem(at, "expected the component's inputs by name, e.g. {\"training_data\": {\"type\": "
                    + "\"mltable\", \"value\": \"${split.train.url}\"}}, found " + Fields.describe(node));
            return inputs;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pointer = at + "/" + LocatedJson.escape(entry.getKey());
            if (!fields.object(entry.getValue(), pointer, Set.of("type", "value"))) {
                continue;
            }
            String type = fields.string(entry.getValue(), pointer, "type", true);
            String value = fields.string(entry.getValue(), pointer, "value", true);
            if (type != null && !INPUT_TYPES.contains(type)) {
                fields.problem(pointer + "/type", "unknown input type '" + type + "'; allowed: "
                        + String.join(", ", INPUT_TYPES));
            } else if (type != null && value != null) {
                inputs.put(entry.getKey(), new AzureMlWork.Input(type, value));
            }
        }
        return inputs;
    }
}
