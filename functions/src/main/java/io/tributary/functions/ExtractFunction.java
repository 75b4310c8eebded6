package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;

/**
 * The extract stage, triggered by a message on {@code pipeline-extract}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link FunctionApp#attemptFailed}).
 */
public class ExtractFunction {

    @FunctionName("extract")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.EXTRACT_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        ExtractMessage request = Json.message(message, ExtractMessage.class);
        StageInvocation.run(context, dequeueCount, "extract", request.pipeline(), request.runId(), -1,
                (app, lastAttempt) -> (app.extract().handle(request, lastAttempt) ? "extract done: "
                        : "held by the concurrency limit: ") + request.pipeline() + "/" + request.runId());
    }
}
