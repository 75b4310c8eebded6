package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;

/** The extract stage, triggered by a message on {@code pipeline-extract}. */
public class ExtractFunction {

    @FunctionName("extract")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.EXTRACT_QUEUE, connection = "AzureWebJobsStorage") String message,
            ExecutionContext context) {
        ExtractMessage request = Json.message(message, ExtractMessage.class);
        FunctionApp.get().extract().handle(request);
        context.getLogger().info("extract done: " + request.pipeline() + "/" + request.runId());
    }
}
