package io.tributary.job;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Work for Azure Databricks: either a job that exists in the workspace, run by id ({@code jobs/run-now} with job
 * parameters), or a one-time run ({@code jobs/runs/submit}) of one task on a cluster.
 *
 * @param jobId      the existing job to run, or null for a one-time run
 * @param task       the one-time run's task, or null when {@code jobId} is set
 * @param cluster    where the one-time run's task runs, or null when {@code jobId} is set
 * @param parameters named parameters: the job's {@code job_parameters}, a notebook's {@code base_parameters}, a
 *                   wheel's {@code named_parameters}
 * @param args       positional parameters of a Python file, a wheel or a JAR
 * @param libraries  libraries the task's cluster installs, each as Databricks writes one ({@code {"whl": "…"}})
 */
public record DatabricksWork(Long jobId, Task task, Cluster cluster, Map<String, String> parameters, List<String> args,
                             List<Map<String, Object>> libraries) implements JobWork {

    /** The kinds of task a one-time run runs. */
    public enum TaskType {
        /** {@code notebook_task}: {@code target} is the notebook's path. */
        NOTEBOOK,
        /** {@code spark_python_task}: {@code target} is the Python file. */
        PYTHON,
        /** {@code python_wheel_task}: {@code target} is the package name, {@code entryPoint} its entry point. */
        WHEEL,
        /** {@code spark_jar_task}: {@code target} is the main class. */
        JAR
    }

    /** One task of a one-time run. */
    public record Task(TaskType type, String target, String entryPoint) {
        public Task {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * A one-time run's compute: exactly one of an existing cluster's id, a new job cluster's spec (as Databricks
     * writes {@code new_cluster}), or serverless.
     */
    public record Cluster(String existing, Map<String, Object> spec, boolean serverless) {
        public Cluster {
            spec = spec == null ? null : WorkValues.copy(spec);
            int set = (existing == null ? 0 : 1) + (spec == null ? 0 : 1) + (serverless ? 1 : 0);
            if (set != 1) {
                throw new IllegalArgumentException("a cluster is one of existing, new or serverless");
            }
        }
    }

    public DatabricksWork {
        if ((jobId == null) == (task == null) || (task == null) != (cluster == null)) {
            throw new IllegalArgumentException("Databricks work is a job id, or a task with its cluster");
        }
        parameters = WorkValues.copy(parameters);
        args = args == null ? List.of() : List.copyOf(args);
        libraries = libraries == null ? List.of() : libraries.stream().map(WorkValues::copy).toList();
    }

    @Override
    public String compute() {
        return "databricks";
    }

    @Override
    public String code() {
        if (jobId != null) {
            return "job " + jobId;
        }
        return switch (task.type()) {
            case NOTEBOOK -> "notebook " + task.target();
            case PYTHON -> "python file " + task.target();
            case WHEEL -> "wheel " + task.target() + " entry point " + task.entryPoint();
            case JAR -> "jar main class " + task.target();
        };
    }

    @Override
    public DatabricksWork resolve(UnaryOperator<String> values) {
        Task resolvedTask = task == null ? null : new Task(task.type(), values.apply(task.target()),
                WorkValues.text(task.entryPoint(), values));
        Cluster resolvedCluster = cluster == null ? null : new Cluster(WorkValues.text(cluster.existing(), values),
                cluster.spec() == null ? null : WorkValues.treeMap(cluster.spec(), values), cluster.serverless());
        return new DatabricksWork(jobId, resolvedTask, resolvedCluster, WorkValues.map(parameters, values),
                WorkValues.list(args, values), libraries.stream().map(l -> WorkValues.treeMap(l, values)).toList());
    }
}
