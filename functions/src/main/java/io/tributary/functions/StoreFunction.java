package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.StoreMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;

/** The store stage, triggered by a message on {@code pipeline-store}. */
public class StoreFunction {

    @FunctionName("store")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.STORE_QUEUE, connection = "AzureWebJobsStorage") String message,
            ExecutionContext context) {
        StoreMessage request = Json.message(message, StoreMessage.class);
        FunctionApp.get().store().handle(request);
        context.getLogger().info("store done: " + request.pipeline() + "/" + request.runId());
    }
}
