package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.CombineMessage;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
import io.tributary.run.RunLayout;

/**
 * The combine stage, triggered by a message on {@code pipeline-combine}: one key bucket of a run whose steps need
 * every row of a key together. A failure is retried by the host (up to host.json's {@code maxDequeueCount}); the last
 * failed attempt also fails the run, whatever failed (see {@link FunctionApp#attemptFailed}).
 */
public class CombineFunction {

    @FunctionName("combine")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.COMBINE_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        CombineMessage request = Json.message(message, CombineMessage.class);
        FunctionApp app = FunctionApp.get();
        boolean lastAttempt = app.isLastAttempt(dequeueCount);
        try (LogContext.Scope scope = LogContext.open(request.runId(), request.pipeline(), "combine",
                request.bucket())) {
            try {
                app.combine().handle(request, lastAttempt);
            } catch (RuntimeException e) {
                app.attemptFailed(context.getLogger(), dequeueCount, lastAttempt, request.pipeline(), request.runId(),
                        "combine", request.bucket(), e);
                throw e;
            }
            context.getLogger().info(LogContext.tag("combine done: " + request.pipeline() + "/" + request.runId()
                    + " bucket " + request.bucket()));
        }
    }
}
