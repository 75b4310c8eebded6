package io.tributary.stage;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.Json;
import io.tributary.run.RunRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Answers a request to start a run over HTTP ({@code POST /api/pipelines/{pipeline}/runs}): 202 with the run ids
 * started, 404 for a pipeline that does not exist, 400 for a body that is not a {@link RunRequest} or a pipeline
 * with nothing to read.
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
        PipelineDefinition pipeline;
        try {
            pipeline = catalog.get().get(pipelineName);
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage());
        }
        RunRequest request;
        try {
            String text = body.map(String::strip).orElse("");
            request = text.isEmpty() ? new RunRequest(Map.of(), false, null)
                    : Json.MAPPER.readValue(text.getBytes(StandardCharsets.UTF_8), RunRequest.class);
        } catch (IOException e) {
            return error(400, "the body must be JSON like {\"parameters\": {\"region\": \"emea\"}, \"fullRefresh\": "
                    + "false, \"requestId\": \"…\"} (every field optional): "
                    + e.getMessage().lines().findFirst().orElse(""));
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
        answer.put("runId", outcome.runs().isEmpty() ? null : outcome.runs().get(0).runId());
        answer.put("runs", outcome.runs().stream()
                .map(r -> Map.of("runId", r.runId(), "new", r.isNew())).toList());
        answer.put("requestId", requestId);
        answer.put("explanation", outcome.explanation());
        return new Answer(202, answer);
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
