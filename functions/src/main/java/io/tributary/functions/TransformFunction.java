package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.TransformMessage;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
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
        FunctionApp app = FunctionApp.get();
        boolean lastAttempt = app.isLastAttempt(dequeueCount);
        try (LogContext.Scope scope = LogContext.open(request.runId(), request.pipeline(), "transform",
                request.chunk())) {
            try {
                app.transform().handle(request, lastAttempt);
            } catch (RuntimeException e) {
                app.attemptFailed(context.getLogger(), dequeueCount, lastAttempt, request.pipeline(), request.runId(),
                        "transform", request.chunk(), e);
                throw e;
            }
            context.getLogger().info(LogContext.tag("transform done: " + request.pipeline() + "/" + request.runId()
                    + " chunk " + request.chunk()));
        }
    }
}
