package io.tributary.databricks;

import io.tributary.job.DatabricksWork;
import io.tributary.job.DatabricksWork.Cluster;
import io.tributary.job.DatabricksWork.Task;
import io.tributary.job.DatabricksWork.TaskType;
import io.tributary.job.JobSubmission;
import io.tributary.run.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the two requests that start a Databricks run: {@code runs/submit} (a one-time run of one task) and
 * {@code run-now} (a run of a job that exists), both with the submission's key as their {@code idempotency_token}.
 * Work the Jobs API cannot take as it is (a notebook given positional arguments, a Python file given named ones) is
 * refused here, before anything is sent, rather than sent with a part left out.
 */
final class RunBodies {

    /** The one task's key in a one-time run. */
    static final String TASK_KEY = "tributary";
    /** The serverless environment a Python file, wheel or JAR task runs in, on serverless compute. */
    static final String ENVIRONMENT_KEY = "tributary";
    /**
     * The serverless environment version Python files, wheels and JARs run in (each is supported for three years;
     * the workspace's release notes list them).
     */
    static final String ENVIRONMENT_VERSION = "4";

    private RunBodies() {
    }

    /** The body of {@code POST /api/2.1/jobs/run-now} for {@code work}'s job. */
    static String runNow(JobSubmission submission, DatabricksWork work) {
        if (!work.args().isEmpty() || !work.libraries().isEmpty()) {
            throw new IllegalArgumentException("job " + work.jobId() + " takes named job parameters only: positional "
                    + "args and libraries belong to one-time runs (a job's tasks name their own libraries)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", work.jobId());
        body.put("idempotency_token", submission.key());
        if (!work.parameters().isEmpty()) {
            body.put("job_parameters", work.parameters());
        }
        return Json.compact(body);
    }

    /** The body of {@code POST /api/2.1/jobs/runs/submit} for {@code work}'s one task. */
    static String submit(JobSubmission submission, DatabricksWork work) {
        Task task = work.task();
        Cluster cluster = work.cluster();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_name", submission.name());
        body.put("idempotency_token", submission.key());
        long timeout = seconds(submission.timeout());
        if (timeout > 0) {
            body.put("timeout_seconds", timeout);
        }
        Map<String, Object> taskBody = new LinkedHashMap<>();
        taskBody.put("task_key", TASK_KEY);
        String type = switch (task.type()) {
            case NOTEBOOK -> "notebook_task";
            case PYTHON -> "spark_python_task";
            case WHEEL -> "python_wheel_task";
            case JAR -> "spark_jar_task";
        };
        taskBody.put(type, taskPayload(task, work));
        boolean environment = cluster.serverless() && task.type() != TaskType.NOTEBOOK;
        if (cluster.existing() != null) {
            taskBody.put("existing_cluster_id", cluster.existing());
        } else if (cluster.spec() != null) {
            taskBody.put("new_cluster", cluster.spec());
        } else if (environment) {
            taskBody.put("environment_key", ENVIRONMENT_KEY);
        }
        if (!cluster.serverless() && !work.libraries().isEmpty()) {
            taskBody.put("libraries", work.libraries());
        }
        body.put("tasks", List.of(taskBody));
        if (environment) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("environment_key", ENVIRONMENT_KEY);
            entry.put("spec", environmentSpec(work.libraries()));
            body.put("environments", List.of(entry));
        } else if (cluster.serverless() && !work.libraries().isEmpty()) {
            throw new IllegalArgumentException("a notebook on serverless compute installs its libraries itself (%pip "
                    + "install, or the notebook's environment): leave libraries out, or run it on a cluster");
        }
        return Json.compact(body);
    }

    private static Map<String, Object> taskPayload(Task task, DatabricksWork work) {
        Map<String, Object> payload = new LinkedHashMap<>();
        switch (task.type()) {
            case NOTEBOOK -> {
                refuseArgs(work, "notebook " + task.target() + " takes named parameters (its widgets' base_parameters)");
                payload.put("notebook_path", task.target());
                if (!work.parameters().isEmpty()) {
                    payload.put("base_parameters", work.parameters());
                }
            }
            case PYTHON -> {
                refuseNamed(work, "Python file " + task.target() + " takes positional args (its command line)");
                payload.put("python_file", task.target());
                putArgs(payload, work);
            }
            case WHEEL -> {
                if (task.entryPoint() == null || task.entryPoint().isBlank()) {
                    throw new IllegalArgumentException("wheel " + task.target() + " needs its entry point: a name in "
                            + "the package's entry_points metadata, or a function of the package");
                }
                if (!work.args().isEmpty() && !work.parameters().isEmpty()) {
                    throw new IllegalArgumentException("wheel " + task.target() + " takes positional args or named "
                            + "parameters, not both: Databricks passes one or the other to the entry point");
                }
                payload.put("package_name", task.target());
                payload.put("entry_point", task.entryPoint());
                if (!work.parameters().isEmpty()) {
                    payload.put("named_parameters", work.parameters());
                }
                putArgs(payload, work);
            }
            case JAR -> {
                refuseNamed(work, "JAR main class " + task.target() + " takes positional args (its main's String[])");
                payload.put("main_class_name", task.target());
                putArgs(payload, work);
            }
        }
        return payload;
    }

    private static void putArgs(Map<String, Object> payload, DatabricksWork work) {
        if (!work.args().isEmpty()) {
            payload.put("parameters", work.args());
        }
    }

    private static void refuseArgs(DatabricksWork work, String what) {
        if (!work.args().isEmpty()) {
            throw new IllegalArgumentException(what + ", not positional args " + work.args());
        }
    }

    private static void refuseNamed(DatabricksWork work, String what) {
        if (!work.parameters().isEmpty()) {
            throw new IllegalArgumentException(what + ", not named parameters " + work.parameters().keySet());
        }
    }

    /**
     * A serverless environment holding the libraries, as serverless compute takes them: wheels, PyPI packages and
     * requirements files as pip requirement lines, JARs as Java dependencies. Maven, CRAN and egg libraries have no
     * place there.
     */
    private static Map<String, Object> environmentSpec(List<Map<String, Object>> libraries) {
        List<String> pip = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (Map<String, Object> library : libraries) {
            if (library.size() != 1) {
                throw new IllegalArgumentException("a library is one kind ({\"whl\": …}, {\"pypi\": {\"package\": …}}, "
                        + "…), not " + library.keySet());
            }
            Map.Entry<String, Object> only = library.entrySet().iterator().next();
            switch (only.getKey()) {
                case "whl" -> pip.add(String.valueOf(only.getValue()));
                case "requirements" -> pip.add("-r " + only.getValue());
                case "jar" -> java.add(String.valueOf(only.getValue()));
                case "pypi" -> {
                    if (!(only.getValue() instanceof Map<?, ?> pypi) || !(pypi.get("package") instanceof String name)) {
                        throw new IllegalArgumentException("a pypi library names its package: {\"pypi\": {\"package\": "
                                + "\"name==1.0\"}}");
                    }
                    if (pypi.get("repo") instanceof String repo) {
                        pip.add("--extra-index-url " + repo);
                    }
                    pip.add(name);
                }
                default -> throw new IllegalArgumentException("a " + only.getKey() + " library cannot be installed on "
                        + "serverless compute, which takes wheels, PyPI packages, requirements files and JARs: run the "
                        + "task on a cluster");
            }
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("environment_version", ENVIRONMENT_VERSION);
        if (!pip.isEmpty()) {
            spec.put("dependencies", pip);
        }
        if (!java.isEmpty()) {
            spec.put("java_dependencies", java);
        }
        return spec;
    }

    /** Whole seconds, rounded up: a timeout is never shortened. */
    private static long seconds(Duration timeout) {
        return timeout.isNegative() ? 0 : (timeout.toMillis() + 999) / 1000;
    }
}
