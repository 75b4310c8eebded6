package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.CombineMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.stage.CombineStage;

/**
 * The combine stage, triggered by a message on {@code pipeline-combine}: one key bucket of a run whose steps need
 * every row of a key together. A failure is retried by the host (up to host.json's {@code maxDequeueCount}); the last
 * failed attempt also fails the run, whatever failed (see {@link StageInvocation}).
 */
public class CombineFunction {

    private final CombineStage combine;
    private final StageInvocation invocation;

    /**
     * @param combine the stage each message is handed to
     * @param invocation the path its invocations take
     */
    CombineFunction(CombineStage combine, StageInvocation invocation) {
        this.combine = combine;
        this.invocation = invocation;
    }

    @FunctionName("combine")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.COMBINE_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        CombineMessage request = Json.message(message, CombineMessage.class);
        invocation.run(context, dequeueCount, Stage.COMBINE, request.pipeline(), request.runId(), request.bucket(),
                lastAttempt -> {
                    combine.handle(request, lastAttempt);
                    return "combine done: " + request.pipeline() + "/" + request.runId() + " bucket " + request.bucket();
                });
    }
}
