package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.TransformMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;

/**
 * The transform stage, triggered by a message on {@code pipeline-transform}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link FunctionApp#attemptFailed}).
 */
public class TransformFunction {

    @FunctionName("transform")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.TRANSFORM_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        TransformMessage request = Json.message(message, TransformMessage.class);
        StageInvocation.run(context, dequeueCount, "transform", request.pipeline(), request.runId(), request.chunk(),
                (app, lastAttempt) -> {
                    app.transform().handle(request, lastAttempt);
                    return "transform done: " + request.pipeline() + "/" + request.runId() + " chunk " + request.chunk();
                });
    }
}
