package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.run.LogContext;
import io.tributary.start.RunRequests;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/pipelines/{pipeline}/runs} with a function key: starts a run with the body's parameters and
 * answers 202 with its id. See {@link RunRequests} for the body and the answers.
 */
public class StartRunFunction {

    private final RunRequests runRequests;

    StartRunFunction(RunRequests runRequests) {
        this.runRequests = runRequests;
    }

    @FunctionName("startRun")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "pipelines/{pipeline}/runs") HttpRequestMessage<Optional<String>> request,
            @BindingName("pipeline") String pipeline,
            ExecutionContext context) {
        RunRequests.Answer answer = runRequests.start(pipeline, request.getBody(),
                header(request.getHeaders(), "Idempotency-Key"));
        if (answer.status() == 202) {
            context.getLogger().info(LogContext.tag("started on request: " + pipeline + " "
                    + RunRequests.runIds(answer)));
        } else {
            context.getLogger().warning(LogContext.tag("start of " + pipeline + " refused (" + answer.status() + "): "
                    + answer.body().get("error")));
        }
        return request.createResponseBuilder(HttpStatusType.custom(answer.status()))
                .header("Content-Type", "application/json")
                .body(new String(answer.json(), StandardCharsets.UTF_8))
                .build();
    }

    /** A header's value, whatever the case of its name. */
    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst();
    }
}
