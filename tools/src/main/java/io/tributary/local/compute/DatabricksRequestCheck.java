package io.tributary.local.compute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@link LocalDatabricks} checks of a {@code runs/submit} or {@code run-now} body before it starts a run, with the
 * answer Databricks gives to what fails: {@code 400 INVALID_PARAMETER_VALUE} and a message naming the field. It checks
 * the shape the Jobs API documents for what Tributary sends (one of four task types, its required fields, the
 * compute, serverless environments, an idempotency token of at most 64 characters), not what only a workspace knows
 * (whether a notebook, a cluster or a Spark version exists).
 */
final class DatabricksRequestCheck {

    /** A request refused as Databricks refuses it. */
    static final class Refusal extends RuntimeException {
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        static Refusal invalid(String message) {
            return new Refusal(400, "INVALID_PARAMETER_VALUE", message);
        }
    }

    /** The task types a one-time run may have, and the field each requires. */
    private static final Map<String, List<String>> TASKS = Map.of(
            "notebook_task", List.of("notebook_path"),
            "spark_python_task", List.of("python_file"),
            "python_wheel_task", List.of("package_name", "entry_point"),
            "spark_jar_task", List.of("main_class_name"));
    /** Task types the Jobs API has that the stand-in does not run. */
    private static final Set<String> OTHER_TASKS = Set.of("spark_submit_task", "sql_task", "dbt_task", "pipeline_task",
            "run_job_task", "condition_task", "for_each_task", "clean_rooms_notebook_task", "dashboard_task",
            "power_bi_task", "gen_ai_compute_task");
    private static final Pattern TASK_KEY = Pattern.compile("[\\w\\-.]{1,100}");
    private static final int TOKEN_LENGTH = 64;

    private DatabricksRequestCheck() {
    }

    /** Checks a {@code runs/submit} body. */
    static void submit(JsonNode body) {
        object(body, "the request body");
        token(body);
        optionalText(body, "run_name");
        if (body.has("timeout_seconds") && !(body.get("timeout_seconds").canConvertToLong()
                && body.get("timeout_seconds").asLong() >= 0)) {
            throw Refusal.invalid("timeout_seconds must be a whole number of seconds, 0 or more");
        }
        Set<String> environments = environments(body);
        JsonNode tasks = body.path("tasks");
        if (!tasks.isArray() || tasks.isEmpty()) {
            throw Refusal.invalid("Missing required field: tasks");
        }
        Set<String> keys = new HashSet<>();
        for (JsonNode task : tasks) {
            object(task, "a task");
            String key = requiredText(task, "task_key");
            if (!TASK_KEY.matcher(key).matches()) {
                throw Refusal.invalid("task_key '" + key + "' must be 1 to 100 letters, digits, '_', '-' and '.'");
            }
            if (!keys.add(key)) {
                throw Refusal.invalid("Task key " + key + " is used by more than one task");
            }
            task(task, key, environments);
        }
    }

    private static void task(JsonNode task, String key, Set<String> environments) {
        for (String other : OTHER_TASKS) {
            if (task.has(other)) {
                throw Refusal.invalid("Task " + key + ": the stand-in runs notebook_task, spark_python_task, "
                        + "python_wheel_task and spark_jar_task, not " + other);
            }
        }
        List<String> types = TASKS.keySet().stream().filter(task::has).sorted().toList();
        if (types.size() != 1) {
            throw Refusal.invalid("Task " + key + " must have exactly one task type ("
                    + String.join(", ", TASKS.keySet().stream().sorted().toList()) + "), not " + types.size());
        }
        String type = types.get(0);
        JsonNode payload = task.get(type);
        object(payload, type);
        for (String field : TASKS.get(type)) {
            requiredText(payload, field);
        }
        optionalStrings(payload, "parameters", type);
        optionalStringMap(payload, "base_parameters", type);
        optionalStringMap(payload, "named_parameters", type);
        if (payload.has("parameters") && payload.has("named_parameters")) {
            throw Refusal.invalid("Task " + key + ": parameters and named_parameters cannot both be given");
        }
        List<String> compute = List.of("existing_cluster_id", "new_cluster", "job_cluster_key", "environment_key")
                .stream().filter(task::has).toList();
        if (compute.size() > 1) {
            throw Refusal.invalid("Task " + key + " names more than one compute: " + String.join(", ", compute));
        }
        if (task.has("job_cluster_key")) {
            throw Refusal.invalid("Task " + key + ": job_cluster_key refers to a job's clusters, which a one-time run "
                    + "has none of");
        }
        if (task.has("existing_cluster_id")) {
            requiredText(task, "existing_cluster_id");
        }
        if (task.has("new_cluster")) {
            object(task.get("new_cluster"), "new_cluster");
        }
        boolean serverless = compute.isEmpty() || task.has("environment_key");
        if (task.has("environment_key")) {
            String environment = requiredText(task, "environment_key");
            if (!environments.contains(environment)) {
                throw Refusal.invalid("Task " + key + " refers to environment " + environment + ", which the run's "
                        + "environments do not define");
            }
        } else if (serverless && !type.equals("notebook_task")) {
            throw Refusal.invalid("Task " + key + ": environment_key is required for a " + type + " on serverless "
                    + "compute");
        }
        if (task.has("libraries")) {
            if (serverless) {
                throw Refusal.invalid("Task " + key + ": libraries are not supported on serverless compute; name "
                        + "the dependencies in the run's environments");
            }
            JsonNode libraries = task.get("libraries");
            if (!libraries.isArray()) {
                throw Refusal.invalid("libraries must be a list");
            }
            libraries.forEach(library -> object(library, "a library"));
        }
    }

    /** The keys of the run's serverless environments. */
    private static Set<String> environments(JsonNode body) {
        Set<String> keys = new HashSet<>();
        if (!body.has("environments")) {
            return keys;
        }
        if (!body.get("environments").isArray()) {
            throw Refusal.invalid("environments must be a list");
        }
        for (JsonNode environment : body.get("environments")) {
            object(environment, "an environment");
            String key = requiredText(environment, "environment_key");
            JsonNode spec = environment.path("spec");
            object(spec, "the spec of environment " + key);
            if (!spec.has("environment_version") && !spec.has("client")) {
                throw Refusal.invalid("Missing required field: environment_version (environment " + key + ")");
            }
            optionalStrings(spec, "dependencies", "environment " + key);
            optionalStrings(spec, "java_dependencies", "environment " + key);
            keys.add(key);
        }
        return keys;
    }

    /** Checks a {@code run-now} body; the job it names is the server's to look up. */
    static long runNow(JsonNode body) {
        object(body, "the request body");
        token(body);
        JsonNode job = body.path("job_id");
        if (job.isMissingNode() || job.isNull()) {
            throw Refusal.invalid("Missing required field: job_id");
        }
        if (!job.canConvertToLong()) {
            throw Refusal.invalid("job_id must be a number, not " + job);
        }
        optionalStringMap(body, "job_parameters", "run-now");
        optionalStringMap(body, "notebook_params", "run-now");
        if (body.has("notebook_params") && body.has("jar_params")) {
            throw Refusal.invalid("notebook_params cannot be specified in conjunction with jar_params");
        }
        return job.asLong();
    }

    /** The run id a {@code runs/get} query or a {@code runs/cancel} body names. */
    static long runId(String text) {
        if (text == null || text.isEmpty()) {
            throw Refusal.invalid("Missing required field: run_id");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Refusal.invalid("run_id must be a number, not '" + text + "'");
        }
    }

    private static void token(JsonNode body) {
        if (body.has("idempotency_token")) {
            String token = requiredText(body, "idempotency_token");
            if (token.length() > TOKEN_LENGTH) {
                throw Refusal.invalid("The idempotency token must have at most " + TOKEN_LENGTH + " characters, not "
                        + token.length());
            }
        }
    }

    private static void object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw Refusal.invalid(what + " must be a JSON object");
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Refusal.invalid("Missing required field: " + field);
        }
        return value.asText();
    }

    private static void optionalText(JsonNode node, String field) {
        if (node.has(field) && !node.get(field).isTextual()) {
            throw Refusal.invalid(field + " must be a string");
        }
    }

    private static void optionalStrings(JsonNode node, String field, String where) {
        if (!node.has(field)) {
            return;
        }
        JsonNode list = node.get(field);
        if (!list.isArray()) {
            throw Refusal.invalid(field + " of " + where + " must be a list of strings");
        }
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw Refusal.invalid(field + " of " + where + " must be a list of strings, not holding " + item);
            }
        }
    }

    private static void optionalStringMap(JsonNode node, String field, String where) {
        if (!node.has(field)) {
            return;
        }
        JsonNode map = node.get(field);
        if (!map.isObject()) {
            throw Refusal.invalid(field + " of " + where + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw Refusal.invalid(field + " of " + where + ": the value of " + entry.getKey() + " must be a string");
            }
        }
    }
}
