package io.tributary.job;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Work for an Azure Machine Learning workspace: a registered component run as a job, with inputs and outputs. A
 * command component runs as a one-node pipeline job (a command job cannot name a component by id alone); a pipeline
 * component as a pipeline job.
 *
 * @param component  the registered component, {@code azureml:NAME:VERSION} or its resource id
 * @param pipeline   whether the component is a pipeline component
 * @param cluster    the compute cluster's name, or null for serverless compute
 * @param experiment the experiment the job is filed under
 * @param inputs     the component's inputs by name
 * @param outputs    the component's outputs by name: their type ({@code uri_folder}, {@code mlflow_model}, …)
 */
public record AzureMlWork(String component, boolean pipeline, String cluster, String experiment,
                          Map<String, Input> inputs, Map<String, String> outputs) implements JobWork {

    /**
     * One input.
     *
     * @param type  {@code uri_folder}, {@code uri_file}, {@code mltable} or {@code literal}
     * @param value the URI (an {@code azureml://} or {@code abfss://} path, a data asset's {@code azureml:NAME:VERSION})
     *              or, for a literal, the value
     */
    public record Input(String type, String value) {
        public Input {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    public AzureMlWork {
        Objects.requireNonNull(component, "component");
        experiment = experiment == null ? "tributary" : experiment;
        inputs = WorkValues.copy(inputs);
        outputs = WorkValues.copy(outputs);
    }

    @Override
    public String compute() {
        return "azureml";
    }

    @Override
    public String code() {
        return (pipeline ? "pipeline component " : "component ") + component;
    }

    @Override
    public AzureMlWork resolve(UnaryOperator<String> values) {
        Map<String, Input> resolved = new java.util.LinkedHashMap<>();
        inputs.forEach((name, input) -> resolved.put(name, new Input(input.type(), values.apply(input.value()))));
        return new AzureMlWork(values.apply(component), pipeline, WorkValues.text(cluster, values),
                values.apply(experiment), resolved, outputs);
    }
}
