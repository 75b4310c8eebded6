package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.stage.StoreStage;

/**
 * The store stage, triggered by a message on {@code pipeline-store}. A failure is retried by the host
 * (up to host.json's {@code maxDequeueCount}); the last failed attempt also fails the run,
 * whatever failed (see {@link StageInvocation}).
 */
public class StoreFunction {

    private final StoreStage store;
    private final StageInvocation invocation;

    /**
     * @param store the stage each message is handed to
     * @param invocation the path its invocations take
     */
    StoreFunction(StoreStage store, StageInvocation invocation) {
        this.store = store;
        this.invocation = invocation;
    }

    @FunctionName("store")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.STORE_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        StoreMessage request = Json.message(message, StoreMessage.class);
        invocation.run(context, dequeueCount, Stage.STORE, request.pipeline(), request.runId(), -1,
                lastAttempt -> {
                    store.handle(request, lastAttempt);
                    return "store done: " + request.pipeline() + "/" + request.runId();
                });
    }
}
