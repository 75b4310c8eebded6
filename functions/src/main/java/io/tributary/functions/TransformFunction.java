package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.stage.TransformStage;

/**
 * The transform stage, triggered by a message on {@code pipeline-transform}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link StageInvocation}).
 */
public class TransformFunction {

    private final TransformStage transform;
    private final StageInvocation invocation;

    /**
     * @param transform the stage each message is handed to
     * @param invocation the path its invocations take
     */
    TransformFunction(TransformStage transform, StageInvocation invocation) {
        this.transform = transform;
        this.invocation = invocation;
    }

    @FunctionName("transform")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.TRANSFORM_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        TransformMessage request = Json.message(message, TransformMessage.class);
        invocation.run(context, dequeueCount, Stage.TRANSFORM, request.pipeline(), request.runId(), request.chunk(),
                lastAttempt -> {
                    transform.handle(request, lastAttempt);
                    return "transform done: " + request.pipeline() + "/" + request.runId() + " chunk " + request.chunk();
                });
    }
}
