package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.StoreMessage;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
import io.tributary.run.RunLayout;

/**
 * The store stage, triggered by a message on {@code pipeline-store}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link FunctionApp#attemptFailed}).
 */
public class StoreFunction {

    @FunctionName("store")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.STORE_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        StoreMessage request = Json.message(message, StoreMessage.class);
        FunctionApp app = FunctionApp.get();
        boolean lastAttempt = app.isLastAttempt(dequeueCount);
        try (LogContext.Scope scope = LogContext.open(request.runId(), request.pipeline(), "store", -1)) {
            try {
                app.store().handle(request, lastAttempt);
            } catch (RuntimeException e) {
                app.attemptFailed(context.getLogger(), dequeueCount, lastAttempt, request.pipeline(), request.runId(),
                        "store", -1, e);
                throw e;
            }
            context.getLogger().info(LogContext.tag("store done: " + request.pipeline() + "/" + request.runId()));
        }
    }
}
