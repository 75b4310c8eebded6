package io.tributary.definition.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.job.DatabricksWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job's {@code "databricks"}: an existing job by {@code jobId}, or a one-time run of a {@code notebook},
 * {@code python} file, {@code wheel} or {@code jar} on a {@code cluster}.
 */
final class DatabricksReader {

    private static final Set<String> FIELDS = Set.of("jobId", "notebook", "python", "wheel", "jar", "cluster",
            "parameters", "args", "libraries");
    private static final List<String> TASKS = List.of("notebook", "python", "wheel", "jar");

    private final WorkFields work;
    private final Fields fields;

    DatabricksReader(WorkFields work) {
        this.work = work;
        this.fields = work.fields();
    }

    Optional<DatabricksWork> read(JsonNode node, String at) {
        if (!fields.object(node, at, FIELDS)) {
            return Optional.empty();
        }
        List<String> tasks = TASKS.stream().filter(node::has).toList();
        boolean byId = node.has("jobId");
        if (byId == !tasks.isEmpty() || tasks.size() > 1) {
            fields.problem(at, byId ? "give \"jobId\" (run an existing job) or a task (" + String.join(", ", TASKS)
                    + "), not both" : tasks.isEmpty() ? "name the work: \"jobId\" (an existing job) or one task: "
                    + "\"notebook\": \"/Workspace/…\", \"python\": \"dbfs:/…/main.py\", \"wheel\": {\"package\": …, "
                    + "\"entryPoint\": …} or \"jar\": {\"mainClass\": …}" : "one task per job; found "
                    + String.join(" and ", tasks));
            return Optional.empty();
        }
        Map<String, String> parameters = work.stringMap(node, at, "parameters");
        List<String> args = work.strings(node, at, "args");
        List<Map<String, Object>> libraries = libraries(node, at);
        if (byId) {
            for (String field : List.of("cluster", "args", "libraries")) {
                if (node.has(field)) {
                    fields.problemAtKey(at + "/" + field, "\"" + field + "\" belongs to a one-time run; an existing "
                            + "job runs with its own tasks and clusters, and takes \"parameters\" (its job parameters)");
                }
            }
            JsonNode id = node.get("jobId");
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 1) {
                fields.problem(at + "/jobId", "expected the job's id, a whole number as the workspace's Jobs page "
                        + "shows it, found " + Fields.describe(id));
                return Optional.empty();
            }
            return Optional.of(new DatabricksWork(id.asLong(), null, null, parameters, List.of(), List.of()));
        }
        String task = tasks.get(0);
        Optional<DatabricksWork.Task> read = task(node, at, task);
        Optional<DatabricksWork.Cluster> cluster = cluster(node.get("cluster"), at);
        if (task.equals("python") || task.equals("jar")) {
            if (!parameters.isEmpty()) {
                fields.problemAtKey(at + "/parameters", "a " + task + " task takes positional \"args\", not named "
                        + "\"parameters\"");
            }
        } else if (task.equals("notebook") && !args.isEmpty()) {
            fields.problemAtKey(at + "/args", "a notebook takes named \"parameters\" (its widgets), not \"args\"");
        }
        if (read.isEmpty() || cluster.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabricksWork(null, read.get(), cluster.get(), parameters, args, libraries));
    }

    private Optional<DatabricksWork.Task> task(JsonNode node, String at, String task) {
        switch (task) {
            case "notebook", "python" -> {
                String target = fields.string(node, at, task, true);
                if (target == null || target.isBlank()) {
                    if (target != null) {
                        fields.problem(at + "/" + task, "the " + task + " path is empty");
                    }
                    return Optional.empty();
                }
                return Optional.of(new DatabricksWork.Task(task.equals("notebook") ? DatabricksWork.TaskType.NOTEBOOK
                        : DatabricksWork.TaskType.PYTHON, target, null));
            }
            case "wheel" -> {
                JsonNode wheel = node.get("wheel");
                if (!fields.object(wheel, at + "/wheel", Set.of("package", "entryPoint"))) {
                    return Optional.empty();
                }
                String name = fields.string(wheel, at + "/wheel", "package", true);
                String entry = fields.string(wheel, at + "/wheel", "entryPoint", true);
                return name == null || entry == null ? Optional.empty()
                        : Optional.of(new DatabricksWork.Task(DatabricksWork.TaskType.WHEEL, name, entry));
            }
            default -> {
                JsonNode jar = node.get("jar");
                if (!fields.object(jar, at + "/jar", Set.of("mainClass"))) {
                    return Optional.empty();
                }
                String main = fields.string(jar, at + "/jar", "mainClass", true);
                return main == null ? Optional.empty()
                        : Optional.of(new DatabricksWork.Task(DatabricksWork.TaskType.JAR, main, null));
            }
        }
    }

    /** {@code {"existing": "ID"}}, {@code {"new": {…new_cluster…}}} or {@code "serverless"}. */
    private Optional<DatabricksWork.Cluster> cluster(JsonNode node, String at) {
        String pointer = at + "/cluster";
        String form = "write {\"existing\": \"CLUSTER_ID\"}, {\"new\": {\"spark_version\": …, \"node_type_id\": …, "
                + "\"num_workers\": …}} (a job cluster, as the Jobs API's new_cluster) or \"serverless\"";
        if (node == null) {
            fields.problem(at, "a one-time run needs a \"cluster\": " + form);
            return Optional.empty();
        }
        if (node.isTextual() && node.asText().equals("serverless")) {
            return Optional.of(new DatabricksWork.Cluster(null, null, true));
        }
        if (!node.isObject() || node.size() != 1 || !(node.has("existing") || node.has("new"))) {
            fields.problem(pointer, "expected one cluster: " + form + "; found " + Fields.describe(node));
            return Optional.empty();
        }
        if (node.has("existing")) {
            String id = fields.string(node, pointer, "existing", true);
            return id == null || id.isBlank() ? Optional.empty()
                    : Optional.of(new DatabricksWork.Cluster(id, null, false));
        }
        JsonNode spec = node.get("new");
        if (!spec.isObject() || spec.isEmpty()) {
            fields.problem(pointer + "/new", "expected the new cluster's spec as the Jobs API's new_cluster writes it, "
                    + "e.g. {\"spark_version\": \"15.4.x-scala2.12\", \"node_type_id\": \"Standard_D4ds_v5\", "
                    + "\"num_workers\": 2}, found " + Fields.describe(spec));
            return Optional.empty();
        }
        return Optional.of(new DatabricksWork.Cluster(null, WorkFields.plainObject(spec), false));
    }

    private List<Map<String, Object>> libraries(JsonNode node, String at) {
        JsonNode list = node.get("libraries");
        List<Map<String, Object>> libraries = new ArrayList<>();
        if (list == null) {
            return libraries;
        }
        if (!list.isArray()) {
            fields.problem(at + "/libraries", "expected a list of libraries as Databricks writes them, e.g. "
                    + "[{\"whl\": \"dbfs:/libs/x.whl\"}], found " + Fields.describe(list));
            return libraries;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject() || list.get(i).isEmpty()) {
                fields.problem(at + "/libraries/" + i, "expected a library such as {\"whl\": \"…\"}, {\"jar\": \"…\"} "
                        + "or {\"pypi\": {\"package\": \"…\"}}, found " + Fields.describe(list.get(i)));
            } else {
                libraries.add(WorkFields.plainObject(list.get(i)));
            }
        }
        return libraries;
    }
}
