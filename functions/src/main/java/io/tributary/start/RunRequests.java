package io.tributary.start;

import io.tributary.run.RunId;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Suggestions;
import io.tributary.run.Json;
import io.tributary.run.RunRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Answers a request to start a run over HTTP ({@code POST /api/pipelines/{pipeline}/runs}): 202 with the run ids
 * started, 404 for a pipeline that does not exist, 413 for a body over {@link RunRequestLimits#MAX_BODY_BYTES}, 400 for
 * a body that is not a {@link RunRequest} (or over another of the {@link RunRequestLimits}) or a pipeline with nothing
 * to read. Every check is made before anything of the run is written.
 */
public final class RunRequests {

    private final Supplier<PipelineCatalog> catalog;
    private final ManualRuns manual;

    public RunRequests(Supplier<PipelineCatalog> catalog, ManualRuns manual) {
        this.catalog = catalog;
        this.manual = manual;
    }

    /** An HTTP answer: a status and a JSON body. */
    public record Answer(int status, Map<String, Object> body) {

        public byte[] json() {
            return Json.bytes(body);
        }
    }

    /**
     * Starts the run asked for.
     *
     * @param body           the request's body, empty for a run with no parameters
     * @param idempotencyKey the {@code Idempotency-Key} header, which names the request when its body does not
     */
    public Answer start(String pipelineName, Optional<String> body, Optional<String> idempotencyKey) {
        int bytes = body.map(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).orElse(0);
        if (bytes > RunRequestLimits.MAX_BODY_BYTES) {
            return error(413, RunRequestLimits.bodyTooLarge(bytes));
        }
        PipelineDefinition pipeline;
        try {
            pipeline = catalog.get().get(pipelineName);
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage());
        }
        RunRequest request;
        try {
            request = parse(body.map(String::strip).orElse(""));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        String requestId = Optional.ofNullable(request.requestId()).or(() -> idempotencyKey)
                .orElseGet(() -> UUID.randomUUID().toString());
        ManualRuns.Outcome outcome;
        try {
            outcome = manual.start(pipeline, new ManualRuns.Request(requestId, request.parameters(),
                    request.fullRefresh(), Optional.empty()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(400, e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pipeline", pipeline.name());
        answer.put("runId", outcome.runs().isEmpty() ? null : outcome.runs().get(0).runId().text());
        answer.put("runs", outcome.runs().stream()
                .map(r -> Map.of("runId", r.runId().text(), "new", r.isNew())).toList());
        answer.put("requestId", requestId);
        answer.put("explanation", outcome.explanation());
        return new Answer(202, answer);
    }

    /** The fields a request body may have. */
    static final List<String> FIELDS = List.of("parameters", "fullRefresh", "requestId");
    private static final String EXAMPLE = "{\"parameters\": {\"region\": \"emea\"}, \"fullRefresh\": false, "
            + "\"requestId\": \"…\"} (every field optional)";

    /**
     * The request a body asks for, read exactly: every field known, each of its type.
     *
     * @throws IllegalArgumentException saying what is wrong in the body, in the request's own terms
     */
    static RunRequest parse(String text) {
        if (text.isEmpty()) {
            return new RunRequest(Map.of(), false, null);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("the body is not JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + ")") + "; send an object like " + EXAMPLE);
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object like " + EXAMPLE + ", not "
                    + kind(body));
        }
        for (String name : (Iterable<String>) body::fieldNames) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "' in the body"
                        + Suggestions.didYouMean(name, FIELDS) + "; the fields are parameters, fullRefresh and "
                        + "requestId");
            }
        }
        for (String field : FIELDS) {
            if (body.path(field).isNull()) {
                throw new IllegalArgumentException(field + " is null; leave the field out, or give it a value");
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode given = body.path("parameters");
        if (!given.isMissingNode()) {
            if (!given.isObject()) {
                throw new IllegalArgumentException("parameters must be an object of names and values like "
                        + "{\"region\": \"emea\"}, not " + kind(given));
            }
            for (Map.Entry<String, JsonNode> parameter : (Iterable<Map.Entry<String, JsonNode>>) given::fields) {
                JsonNode value = parameter.getValue();
                if (!value.isValueNode() || value.isNull()) {
                    throw new IllegalArgumentException("parameters." + parameter.getKey() + " must be a string (or a "
                            + "number or true/false), not " + kind(value));
                }
                parameters.put(parameter.getKey(), value.asText());
            }
        }
        JsonNode fullRefresh = body.path("fullRefresh");
        if (!fullRefresh.isMissingNode() && !fullRefresh.isNull() && !fullRefresh.isBoolean()) {
            throw new IllegalArgumentException("fullRefresh must be true or false, not " + kind(fullRefresh));
        }
        JsonNode requestId = body.path("requestId");
        if (!requestId.isMissingNode() && !requestId.isNull() && !(requestId.isTextual()
                && !requestId.asText().isBlank())) {
            throw new IllegalArgumentException("requestId must be a non-empty string that names the request, not "
                    + kind(requestId));
        }
        return new RunRequest(parameters, fullRefresh.asBoolean(false),
                requestId.isTextual() ? requestId.asText() : null);
    }

    /** How a JSON value is named in a message: its kind, and a short value's text. */
    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNull()) {
            return "null";
        }
        String text = node.toString();
        return (node.isTextual() ? "the string " : node.isNumber() ? "the number " : "") + (text.length() > 40
                ? text.substring(0, 40) + "…" : text);
    }

    private static Answer error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new Answer(status, body);
    }

    /** The run ids of an answer, for logs. */
    public static List<String> runIds(Answer answer) {
        Object runs = answer.body().get("runs");
        return runs instanceof List<?> list ? list.stream().map(r -> String.valueOf(((Map<?, ?>) r).get("runId")))
                .toList() : List.of();
    }
}
