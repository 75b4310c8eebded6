package io.tributary.functions;

import io.tributary.lineage.LineageBuilder;
import io.tributary.history.RunsApi;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.lineage.LineageGraph;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.start.RunRequests;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/lineage/{pipeline}?run=RUN_ID} with a function key: the lineage graph of the run (default: the
 * pipeline's latest committed run) as JSON, {@code {"nodes": [...], "edges": [...]}}; 400 for a malformed run id,
 * 404 for a pipeline or run that is not there ({@code no pipeline named 'x'} with a "did you mean").
 */
public class LineageFunction {

    private final RunsApi runsApi;
    private final LineageBuilder lineage;

    LineageFunction(RunsApi runsApi, LineageBuilder lineage) {
        this.runsApi = runsApi;
        this.lineage = lineage;
    }

    @FunctionName("lineage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "lineage/{pipeline}") HttpRequestMessage<Optional<String>> request,
            @BindingName("pipeline") String pipeline,
            ExecutionContext context) {
        Optional<String> run = Optional.ofNullable(request.getQueryParameters().get("run")).filter(r -> !r.isBlank());
        if (run.isPresent() && !RunId.isValid(run.get())) {
            return answer(request, HttpStatus.BAD_REQUEST, Map.of("error", "'" + run.get() + "' is not a run id; "
                    + "give ?run=RUN_ID as 'tributary runs' lists them, or leave it out for the latest committed run"));
        }
        Optional<RunRequests.Answer> unknown = runsApi.unknownPipeline(pipeline);
        if (unknown.isPresent()) {
            return ApiResponses.send(request, unknown.get());
        }
        try {
            LineageGraph graph = lineage.build(pipeline, run.map(RunId::parse));
            return answer(request, HttpStatus.OK, graph);
        } catch (IllegalArgumentException e) {
            return answer(request, HttpStatus.NOT_FOUND, Map.of("error", e.getMessage()));
        }
    }

    private static HttpResponseMessage answer(HttpRequestMessage<Optional<String>> request, HttpStatus status,
                                              Object body) {
        return request.createResponseBuilder(status).header("Content-Type", "application/json")
                .body(Json.compact(body)).build();
    }
}
