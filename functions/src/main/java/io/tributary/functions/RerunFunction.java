package io.tributary.functions;

import io.tributary.history.RunsApi;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.run.LogContext;
import io.tributary.start.RunRequests;
import java.util.Optional;

/**
 * {@code POST /api/runs/{runId}/rerun[?fromStart=true]}: resumes a failed run from what failed, as
 * {@code tributary rerun} does, or starts it over; 202 with the run that carries on, 409 when the run is not failed.
 */
public class RerunFunction {

    private final RunsApi runsApi;

    RerunFunction(RunsApi runsApi) {
        this.runsApi = runsApi;
    }

    @FunctionName("rerun")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "runs/{runId}/rerun") HttpRequestMessage<Optional<String>> request,
            @BindingName("runId") String runId,
            ExecutionContext context) {
        RunRequests.Answer answer = runsApi.rerun(runId, request.getQueryParameters());
        if (answer.status() == 202) {
            context.getLogger().info(LogContext.tag("rerun of " + runId + ": run " + answer.body().get("runId")
                    + " goes on from " + answer.body().get("resumeFrom")));
        } else {
            context.getLogger().warning(LogContext.tag("rerun of " + runId + " refused (" + answer.status() + "): "
                    + answer.body().get("error")));
        }
        return ApiResponses.send(request, answer);
    }
}
