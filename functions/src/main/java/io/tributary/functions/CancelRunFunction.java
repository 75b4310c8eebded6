package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.history.CancelApi;
import io.tributary.run.LogContext;
import io.tributary.start.RunRequests;
import java.util.Optional;

/**
 * {@code POST /api/runs/{runId}/cancel}: asks a run in flight to stop, as {@code tributary cancel} does; 202, or 404
 * for no such run, 409 for a run that has ended.
 */
public class CancelRunFunction {

    private final CancelApi cancels;

    CancelRunFunction(CancelApi cancels) {
        this.cancels = cancels;
    }

    @FunctionName("cancelRun")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "runs/{runId}/cancel") HttpRequestMessage<Optional<String>> request,
            @BindingName("runId") String runId,
            ExecutionContext context) {
        RunRequests.Answer answer = cancels.cancel(runId);
        if (answer.status() == 202) {
            context.getLogger().info(LogContext.tag("run " + runId + " asked to stop"));
        } else {
            context.getLogger().warning(LogContext.tag("cancel of " + runId + " refused (" + answer.status() + "): "
                    + answer.body().get("error")));
        }
        return ApiResponses.send(request, answer);
    }
}
