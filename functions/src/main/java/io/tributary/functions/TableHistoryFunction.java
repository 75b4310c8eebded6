package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.tributary.history.TableHistoryApi;
import java.util.Optional;

/**
 * {@code GET /api/pipelines/{pipeline}/history?limit=N&before=V} with a function key: the versions of the pipeline's
 * Delta table, newest first (see {@code TableHistoryApi}); 400 for a bad parameter, 404 for a pipeline that is not
 * one or whose table has no versions.
 */
public class TableHistoryFunction {

    private final TableHistoryApi api;

    TableHistoryFunction(TableHistoryApi api) {
        this.api = api;
    }

    @FunctionName("tableHistory")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "pipelines/{pipeline}/history") HttpRequestMessage<Optional<String>> request,
            @BindingName("pipeline") String pipeline,
            ExecutionContext context) {
        return ApiResponses.send(request, api.history(pipeline, request.getQueryParameters()));
    }
}
