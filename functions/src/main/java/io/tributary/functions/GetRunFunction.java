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
import java.util.Optional;

/**
 * {@code GET /api/runs/{runId}}: one run in full: stages and chunks, counts, expectations, a sample of its rejects and
 * its dataset's files (see {@code RunsApi}).
 */
public class GetRunFunction {

    private final RunsApi runsApi;

    GetRunFunction(RunsApi runsApi) {
        this.runsApi = runsApi;
    }

    @FunctionName("getRun")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "runs/{runId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("runId") String runId,
            ExecutionContext context) {
        return ApiResponses.send(request, runsApi.run(runId));
    }
}
