package io.tributary.local.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure Machine Learning workspace's jobs as Azure Resource Manager serves them ({@code Jobs_Get},
 * {@code Jobs_CreateOrUpdate}, {@code Jobs_Cancel}, API {@value #API_VERSION}), on the loopback address: for tests,
 * and for the local host's emulated workspace.
 *
 * <ul>
 *   <li>{@code GET|PUT {workspace}/jobs/{name}} and {@code POST {workspace}/jobs/{name}/cancel}, under the workspace
 *       it was made for (another workspace: 404 {@code ResourceNotFound}); every request needs {@code api-version}
 *       ({@code MissingApiVersionParameter}, {@code InvalidApiVersionParameter}: 400). Errors are ARM's
 *       {@code {"error": {"code": …, "message": …}}}.</li>
 *   <li>A PUT is checked as the service would: the name's pattern, {@code jobType} (pipeline jobs only here), each
 *       input's {@code jobInputType} with its {@code value} or {@code uri}, each output's {@code jobOutputType}, a
 *       {@code componentId} or nodes that each name one, node bindings to inputs and outputs the pipeline has, a
 *       compute named by its resource id: 400. A component or compute the workspace does not have ({@link
 *       #component}, {@link #compute}): 404.</li>
 *   <li>Jobs are immutable: a PUT of an existing name whose body differs from the stored one but in what the service
 *       lets change (description, tags, displayName, properties, isArchived) is refused with the service's
 *       "A job with this name already exists" ({@link #conflicts}: 400, or 409); an identical one answers 200 with the
 *       job (or, set so, the same refusal: the real service's answer to a re-PUT is not documented).</li>
 *   <li>Each job's status comes from its {@link AzureMlExecutor.Execution}: by default the script set with
 *       {@link #script} (else {@link #DEFAULT_SCRIPT}), one status further on each GET. A cancel of a job not over
 *       answers 202 (with {@code Location} and {@code Retry-After}, or 200: {@link #cancelAnswers}) and the job shows
 *       {@code CancelRequested} on the next GET, {@code Canceled} after; a cancel of a job over answers
 *       {@link #terminalCancel} (400 by default).</li>
 *   <li>A job shows {@code properties.services.Studio.endpoint} ({@code https://ml.azure.com/runs/{name}?wsid=…}) and
 *       {@code systemData.createdAt}.</li>
 * </ul>
 */
public final class LocalAzureMl extends StandInServer {

    /** The API version served: the one Tributary's client speaks. */
    public static final String API_VERSION = "2025-09-01";
    /** The statuses a job goes through when not scripted otherwise. */
    public static final List<String> DEFAULT_SCRIPT = List.of("NotStarted", "Queued", "Running", "Completed");
    /** What the service says when a job name is taken by a job with other immutable content (azure-docs #122250). */
    public static final String ALREADY_EXISTS = "A job with this name already exists. If you are trying to create a "
            + "new job, use a different name. If you are trying to update an existing job, the existing job's "
            + "Settings, Inputs, Outputs, Jobs, InputBindings, OutputBindings cannot be changed. Only description, "
            + "tags, displayName, properties, and isArchived can be updated.";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}");
    private static final Set<String> JOB_TYPES = Set.of("AutoML", "Command", "Sweep", "Pipeline", "Spark");
    private static final Set<String> INPUT_TYPES = Set.of("literal", "uri_file", "uri_folder", "mltable",
            "custom_model", "mlflow_model", "triton_model");
    private static final Set<String> OUTPUT_TYPES = Set.of("uri_file", "uri_folder", "mltable", "custom_model",
            "mlflow_model", "triton_model");
    /** What a PUT may change in a job that exists. */
    private static final Set<String> MUTABLE = Set.of("description", "tags", "displayName", "properties", "isArchived");
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");
    private static final Pattern BINDING = Pattern.compile("\\$\\{\\{parent\\.(inputs|outputs)\\.([^}]+)}}");
    /** Where a cancel's operation is followed: ARM's {@code mfeOperationResults}, in the stand-in's location. */
    private static final Pattern OPERATION = Pattern.compile("/subscriptions/[^/]+/providers/"
            + "Microsoft\\.MachineLearningServices/locations/local/mfeOperationResults/([^/]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBSCRIPTION = Pattern.compile("/subscriptions/([^/]+)/", Pattern.CASE_INSENSITIVE);

    private final String workspace;
    private final String subscription;
    private final Clock clock;
    private final Map<String, StoredJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, List<String>> scripts = new ConcurrentHashMap<>();
    private final Set<String> components = ConcurrentHashMap.newKeySet();
    private final Set<String> computes = ConcurrentHashMap.newKeySet();
    private final Deque<Function<Request, Answer>> overrides = new ArrayDeque<>();
    private final Deque<Runnable> beforePuts = new ArrayDeque<>();
    private final AtomicInteger operations = new AtomicInteger();
    private volatile AzureMlExecutor executor = AzureMlExecutor.scripted(name -> scripts.getOrDefault(name,
            DEFAULT_SCRIPT));
    private volatile int conflictStatus = 400;
    private volatile boolean identicalConflicts;
    private volatile int cancelStatus = 202;
    private volatile int terminalCancelStatus = 400;

    /** One job the workspace holds. */
    private static final class StoredJob {
        final String name;
        final ObjectNode properties;
        final Instant createdAt;
        final AzureMlExecutor.Execution execution;
        int reads;
        Integer cancelledAt;

        StoredJob(String name, ObjectNode properties, Instant createdAt, AzureMlExecutor.Execution execution) {
            this.name = name;
            this.properties = properties;
            this.createdAt = createdAt;
            this.execution = execution;
        }

        String status() {
            if (cancelledAt != null) {
                return reads - cancelledAt <= 1 ? "CancelRequested" : "Canceled";
            }
            return execution.status(reads);
        }
    }

    /**
     * @param port      the port to listen on, 0 for any free one
     * @param workspace the workspace's resource id, {@code /subscriptions/…/workspaces/{name}}
     */
    public LocalAzureMl(int port, String workspace) {
        this(port, workspace, Clock.systemUTC());
    }

    public LocalAzureMl(int port, String workspace, Clock clock) {
        super(port);
        Matcher m = SUBSCRIPTION.matcher(workspace);
        if (!m.lookingAt() || !workspace.toLowerCase(Locale.ROOT).contains(
                "/providers/microsoft.machinelearningservices/workspaces/")) {
            close();
            throw new IllegalArgumentException("'" + workspace + "' is not a workspace's resource id");
        }
        this.workspace = workspace.endsWith("/") ? workspace.substring(0, workspace.length() - 1) : workspace;
        this.subscription = m.group(1);
        this.clock = clock;
    }

    /** The workspace's resource id. */
    public String workspace() {
        return workspace;
    }

    /** Registers version {@code version} of component {@code name} in the workspace. */
    public LocalAzureMl component(String name, String version) {
        return componentId(workspace + "/components/" + name + "/versions/" + version);
    }

    /** Registers a component version by its full id (another workspace's, a registry's). */
    public LocalAzureMl componentId(String id) {
        components.add(id.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Creates compute cluster {@code name} in the workspace. */
    public LocalAzureMl compute(String name) {
        computes.add((workspace + "/computes/" + name).toLowerCase(Locale.ROOT));
        return this;
    }

    /** The statuses job {@code name} goes through (with the default executor), one further on each GET. */
    public LocalAzureMl script(String name, String... statuses) {
        scripts.put(name, List.of(statuses));
        return this;
    }

    /** Runs the jobs with {@code executor} instead of the scripts. */
    public LocalAzureMl executor(AzureMlExecutor executor) {
        this.executor = executor;
        return this;
    }

    /**
     * How a PUT of a name taken is refused: {@code status} (400 or 409); when {@code evenIdentical}, a PUT identical
     * to the stored job is refused too rather than answered 200.
     */
    public LocalAzureMl conflicts(int status, boolean evenIdentical) {
        this.conflictStatus = status;
        this.identicalConflicts = evenIdentical;
        return this;
    }

    /** What a cancel of a job not over answers: 202 (the default) or 200. */
    public LocalAzureMl cancelAnswers(int status) {
        this.cancelStatus = status;
        return this;
    }

    /** What a cancel of a job over answers: 400 (the default), 409, or 200 (a no-op). */
    public LocalAzureMl terminalCancel(int status) {
        this.terminalCancelStatus = status;
        return this;
    }

    /** Runs {@code action} when the next PUT arrives, before it is handled: another delivery racing this one. */
    public synchronized LocalAzureMl beforeNextPut(Runnable action) {
        beforePuts.add(action);
        return this;
    }

    /** Answers the next requests (past the token check and the faults) with {@code answers}, in order. */
    @SafeVarargs
    public final synchronized LocalAzureMl answerNext(Function<Request, Answer>... answers) {
        overrides.addAll(List.of(answers));
        return this;
    }

    /** The job's status now, without reading it as a GET does; empty when there is no such job. */
    public java.util.Optional<String> status(String name) {
        StoredJob job = jobs.get(name);
        if (job == null) {
            return java.util.Optional.empty();
        }
        synchronized (job) {
            return java.util.Optional.of(job.status());
        }
    }

    @Override
    protected Answer route(Request request) {
        Function<Request, Answer> override;
        Runnable beforePut = null;
        synchronized (this) {
            override = overrides.poll();
            if (override == null && "PUT".equals(request.method())) {
                beforePut = beforePuts.poll();
            }
        }
        if (override != null) {
            return override.apply(request);
        }
        String version = query(request.query()).get("api-version");
        if (version == null) {
            return error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is "
                    + "required for all requests.");
        }
        if (!API_VERSION.equals(version)) {
            return error(400, "InvalidApiVersionParameter", "The api-version '" + version + "' is invalid. The "
                    + "supported versions are '" + API_VERSION + "'.");
        }
        String path = request.path();
        Matcher operation = OPERATION.matcher(path);
        if (operation.matches() && "GET".equals(request.method())) {
            return cancelOperation(operation.group(1));
        }
        String prefix = workspace + "/jobs/";
        if (!path.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            return error(404, "ResourceNotFound", "The Resource '" + path + "' was not found: this stand-in serves "
                    + "the jobs of " + workspace + " only.");
        }
        String rest = path.substring(prefix.length());
        if (beforePut != null) {
            beforePut.run();
        }
        if (rest.endsWith("/cancel") && "POST".equals(request.method())) {
            return cancel(rest.substring(0, rest.length() - "/cancel".length()));
        }
        if (rest.contains("/") || rest.isEmpty()) {
            return error(404, "NotFound", "No route for " + request.method() + " " + path);
        }
        return switch (request.method()) {
            case "GET" -> get(rest);
            case "PUT" -> put(rest, request.body());
            default -> error(405, "MethodNotAllowed", "The job resource does not take " + request.method() + ".");
        };
    }

    private Answer get(String name) {
        StoredJob job = jobs.get(name);
        if (job == null) {
            return error(404, "UserError", "Job " + name + " not found");
        }
        synchronized (job) {
            job.reads++;
            return Answer.json(200, resource(job));
        }
    }

    private Answer put(String name, String body) {
        if (!NAME.matcher(name).matches()) {
            return error(400, "UserError", "The job name '" + name + "' is not valid: it must match "
                    + NAME.pattern() + ".");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return error(400, "UserError", "The request body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("properties").isObject()) {
            return error(400, "UserError", "The request body needs 'properties', a JobBase.");
        }
        ObjectNode properties = ((ObjectNode) root.get("properties")).deepCopy();
        String invalid = invalid(properties);
        if (invalid != null) {
            return error(400, "UserError", invalid);
        }
        String missing = missing(properties);
        if (missing != null) {
            return error(404, "UserError", missing);
        }
        synchronized (jobs) {
            StoredJob existing = jobs.get(name);
            if (existing != null) {
                synchronized (existing) {
                    if (identicalConflicts || !immutable(existing.properties).equals(immutable(properties))) {
                        return error(conflictStatus, "UserError", ALREADY_EXISTS);
                    }
                    MUTABLE.forEach(field -> {
                        if (properties.has(field)) {
                            existing.properties.set(field, properties.get(field));
                        }
                    });
                    return Answer.json(200, resource(existing));
                }
            }
            StoredJob job = new StoredJob(name, properties, clock.instant(), executor.start(job(name, properties)));
            jobs.put(name, job);
            synchronized (job) {
                return Answer.json(201, resource(job));
            }
        }
    }

    private Answer cancel(String name) {
        StoredJob job = jobs.get(name);
        if (job == null) {
            return error(404, "UserError", "Job " + name + " not found");
        }
        synchronized (job) {
            String status = job.status();
            if (TERMINAL.contains(status)) {
                return terminalCancelStatus / 100 == 2 ? new Answer(terminalCancelStatus, "", Map.of())
                        : error(terminalCancelStatus, "UserError", "Job " + name + " is in a terminal state ("
                        + status + ") and cannot be canceled.");
            }
            if (job.cancelledAt == null) {
                job.cancelledAt = job.reads;
                job.execution.cancel();
            }
        }
        if (cancelStatus == 200) {
            return new Answer(200, "", Map.of());
        }
        String location = uri() + "/subscriptions/" + subscription + "/providers/Microsoft.MachineLearningServices/"
                + "locations/local/mfeOperationResults/" + operations.incrementAndGet() + "-" + name + "?api-version="
                + API_VERSION;
        return new Answer(202, "", Map.of("Location", location, "Retry-After", "10"));
    }

    /** The cancel's operation: 202 while the job shows CancelRequested, 200 once it is over. */
    private Answer cancelOperation(String id) {
        int dash = id.indexOf('-');
        StoredJob job = dash < 0 ? null : jobs.get(id.substring(dash + 1));
        if (job == null) {
            return error(404, "NotFound", "No operation " + id);
        }
        synchronized (job) {
            return TERMINAL.contains(job.status()) ? new Answer(200, "", Map.of())
                    : new Answer(202, "", Map.of("Retry-After", "10"));
        }
    }

    /** What is wrong with a job's properties as the service checks them, or null. */
    private String invalid(ObjectNode properties) {
        String type = properties.path("jobType").asText("");
        if (type.isEmpty()) {
            return "'jobType' is required.";
        }
        if (!JOB_TYPES.contains(type)) {
            return "'jobType' " + type + " is not one of " + new java.util.TreeSet<>(JOB_TYPES) + ".";
        }
        if (!type.equals("Pipeline")) {
            return "This local stand-in runs Pipeline jobs only, not " + type + " jobs.";
        }
        JsonNode inputs = properties.path("inputs");
        for (Map.Entry<String, JsonNode> input : fields(inputs)) {
            String inputType = input.getValue().path("jobInputType").asText("");
            if (!INPUT_TYPES.contains(inputType)) {
                return "Input '" + input.getKey() + "': 'jobInputType' " + (inputType.isEmpty() ? "is required"
                        : inputType + " is not one of " + new java.util.TreeSet<>(INPUT_TYPES)) + ".";
            }
            String field = inputType.equals("literal") ? "value" : "uri";
            if (!input.getValue().path(field).isTextual() || input.getValue().path(field).asText().isEmpty()) {
                return "Input '" + input.getKey() + "' of type " + inputType + " needs '" + field + "'.";
            }
        }
        JsonNode outputs = properties.path("outputs");
        for (Map.Entry<String, JsonNode> output : fields(outputs)) {
            String outputType = output.getValue().path("jobOutputType").asText("");
            if (!OUTPUT_TYPES.contains(outputType)) {
                return "Output '" + output.getKey() + "': 'jobOutputType' " + (outputType.isEmpty() ? "is required"
                        : outputType + " is not one of " + new java.util.TreeSet<>(OUTPUT_TYPES)) + ".";
            }
        }
        String compute = defaultCompute(properties);
        if (compute != null && !compute.toLowerCase(Locale.ROOT).startsWith(
                (workspace + "/computes/").toLowerCase(Locale.ROOT))) {
            return "The compute '" + compute + "' must be a compute's ARM resource id (" + workspace
                    + "/computes/NAME).";
        }
        boolean hasComponent = !properties.path("componentId").asText("").isEmpty();
        List<Map.Entry<String, JsonNode>> nodes = fields(properties.path("jobs"));
        if (hasComponent && !nodes.isEmpty()) {
            return "A pipeline job runs its 'componentId' or its 'jobs', not both.";
        }
        if (!hasComponent && nodes.isEmpty()) {
            return "A pipeline job needs a 'componentId' (a pipeline component) or 'jobs' that each reference a "
                    + "component.";
        }
        for (Map.Entry<String, JsonNode> node : nodes) {
            JsonNode spec = node.getValue();
            if (spec.path("type").asText("").isEmpty()) {
                return "Node '" + node.getKey() + "' needs 'type'.";
            }
            if (spec.path("componentId").asText("").isEmpty()) {
                return "Node '" + node.getKey() + "' needs 'componentId': a pipeline job's steps reference a "
                        + "component.";
            }
            for (String side : List.of("inputs", "outputs")) {
                for (Map.Entry<String, JsonNode> binding : fields(spec.path(side))) {
                    Matcher m = BINDING.matcher(binding.getValue().path("value").asText(""));
                    while (m.find()) {
                        if (!properties.path(m.group(1)).has(m.group(2))) {
                            return "Node '" + node.getKey() + "' " + side.substring(0, side.length() - 1) + " '"
                                    + binding.getKey() + "' binds to " + m.group() + ", which the pipeline does not "
                                    + "have.";
                        }
                    }
                }
            }
        }
        return null;
    }

    /** What a job's properties name that the workspace does not have, or null. */
    private String missing(ObjectNode properties) {
        List<String> named = new java.util.ArrayList<>();
        if (!properties.path("componentId").asText("").isEmpty()) {
            named.add(properties.path("componentId").asText());
        }
        fields(properties.path("jobs")).forEach(node -> named.add(node.getValue().path("componentId").asText()));
        for (String component : named) {
            if (!components.contains(component.toLowerCase(Locale.ROOT))) {
                return "Component '" + component + "' not found in workspace " + workspace + ".";
            }
        }
        String compute = defaultCompute(properties);
        if (compute != null && !computes.contains(compute.toLowerCase(Locale.ROOT))) {
            return "Compute '" + compute + "' not found in workspace " + workspace + ".";
        }
        return null;
    }

    /** {@code settings.default_compute} (or the camel-case spelling the service may keep), or null. */
    private static String defaultCompute(JsonNode properties) {
        JsonNode settings = properties.path("settings");
        String compute = settings.path("default_compute").asText(settings.path("defaultCompute").asText(""));
        return compute.isEmpty() ? null : compute;
    }

    private static ObjectNode immutable(ObjectNode properties) {
        ObjectNode copy = properties.deepCopy();
        copy.remove(MUTABLE);
        return copy;
    }

    private static AzureMlExecutor.Job job(String name, ObjectNode properties) {
        Map<String, AzureMlExecutor.Input> inputs = new LinkedHashMap<>();
        fields(properties.path("inputs")).forEach(input -> {
            String type = input.getValue().path("jobInputType").asText();
            inputs.put(input.getKey(), new AzureMlExecutor.Input(type,
                    input.getValue().path(type.equals("literal") ? "value" : "uri").asText()));
        });
        Map<String, String> outputs = new LinkedHashMap<>();
        fields(properties.path("outputs")).forEach(output -> outputs.put(output.getKey(),
                output.getValue().path("jobOutputType").asText()));
        Map<String, String> tags = new LinkedHashMap<>();
        fields(properties.path("tags")).forEach(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        boolean pipeline = !properties.path("componentId").asText("").isEmpty();
        String component = pipeline ? properties.path("componentId").asText()
                : fields(properties.path("jobs")).get(0).getValue().path("componentId").asText();
        return new AzureMlExecutor.Job(name, properties.path("experimentName").asText("Default"), component, pipeline,
                inputs, outputs, defaultCompute(properties), tags, properties.deepCopy());
    }

    /** The job as ARM answers it ({@code JobBaseResource}); the caller holds the job's lock. */
    private String resource(StoredJob job) {
        ObjectNode properties = job.properties.deepCopy();
        if (!properties.has("experimentName")) {
            properties.put("experimentName", "Default");
        }
        properties.put("status", job.status());
        ObjectNode studio = properties.putObject("services").putObject("Studio");
        studio.put("jobServiceType", "Studio");
        studio.put("endpoint", "https://ml.azure.com/runs/" + job.name + "?wsid=" + workspace);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("id", workspace + "/jobs/" + job.name);
        resource.put("name", job.name);
        resource.put("type", "Microsoft.MachineLearningServices/workspaces/jobs");
        resource.put("properties", properties);
        Map<String, Object> systemData = new LinkedHashMap<>();
        systemData.put("createdAt", job.createdAt.toString());
        systemData.put("createdBy", "tributary-local");
        systemData.put("createdByType", "Application");
        resource.put("systemData", systemData);
        return Json.compact(resource);
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new java.util.ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(fields::add);
        }
        return fields;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    protected String errorBody(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return Json.compact(Map.of("error", error));
    }

    @Override
    protected String codeOf(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "InvalidAuthenticationToken";
            case 403 -> "AuthorizationFailed";
            case 404 -> "ResourceNotFound";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
    }
}
