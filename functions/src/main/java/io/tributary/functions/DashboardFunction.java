package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.web.DashboardPage;
import java.util.Optional;

/**
 * {@code GET /api/dashboard} with a function key: the monitoring page (pipelines, runs, a run's stages, rows,
 * rejects and lineage), drawn in the browser from the HTTP API.
 */
public class DashboardFunction {

    @FunctionName("dashboard")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "dashboard") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; "
                        + "script-src 'unsafe-inline'; img-src 'self' data:")
                .body(DashboardPage.html())
                .build();
    }
}
