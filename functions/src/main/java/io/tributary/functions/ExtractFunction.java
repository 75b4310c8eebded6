package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.stage.GatedExtract;

/**
 * The extract stage, triggered by a message on {@code pipeline-extract}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link StageInvocation}).
 */
public class ExtractFunction {

    private final GatedExtract extract;
    private final StageInvocation invocation;

    /**
     * @param extract the stage each message is handed to
     * @param invocation the path its invocations take
     */
    ExtractFunction(GatedExtract extract, StageInvocation invocation) {
        this.extract = extract;
        this.invocation = invocation;
    }

    @FunctionName("extract")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.EXTRACT_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        ExtractMessage request = Json.message(message, ExtractMessage.class);
        invocation.run(context, dequeueCount, Stage.EXTRACT, request.pipeline(), request.runId(), -1,
                lastAttempt -> (extract.handle(request, lastAttempt) ? "extract done: "
                        : "held by the concurrency limit: ") + request.pipeline() + "/" + request.runId());
    }
}
