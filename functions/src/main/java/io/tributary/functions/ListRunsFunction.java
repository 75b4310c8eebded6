package io.tributary.functions;

import io.tributary.history.RunsApi;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/**
 * {@code GET /api/runs?pipeline=&status=&since=&until=&limit=}: runs from the run history, newest first; 400 saying
 * which filter is wrong (see {@code RunsApi}).
 */
public class ListRunsFunction {

    private final RunsApi runsApi;

    ListRunsFunction(RunsApi runsApi) {
        this.runsApi = runsApi;
    }

    @FunctionName("listRuns")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "runs") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return ApiResponses.send(request, runsApi.runs(request.getQueryParameters()));
    }
}
