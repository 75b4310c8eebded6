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

/** {@code GET /api/pipelines}: each pipeline's trigger, next scheduled run and last run (see {@code RunsApi}). */
public class ListPipelinesFunction {

    private final RunsApi runsApi;

    ListPipelinesFunction(RunsApi runsApi) {
        this.runsApi = runsApi;
    }

    @FunctionName("listPipelines")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "pipelines") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return ApiResponses.send(request, runsApi.pipelines());
    }
}
