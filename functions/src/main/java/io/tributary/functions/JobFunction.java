package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.run.JobMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.stage.JobStage;

/**
 * The job stage, triggered by a message on {@code pipeline-job}: submits a run step's job to its compute, or checks on
 * it (the checks arrive delayed, so no invocation waits on a job). A failure is retried by the host; the last failed
 * attempt of a transform job's also fails the run (see {@link StageInvocation}).
 */
public class JobFunction {

    private final JobStage jobs;
    private final StageInvocation invocation;

    JobFunction(JobStage jobs, StageInvocation invocation) {
        this.jobs = jobs;
        this.invocation = invocation;
    }

    @FunctionName("job")
    public void run(
            @QueueTrigger(name = "message", queueName = RunLayout.JOB_QUEUE, connection = "AzureWebJobsStorage") String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        JobMessage request = Json.message(message, JobMessage.class);
        invocation.run(context, dequeueCount, Stage.JOB, request.pipeline(), request.runId(), -1,
                lastAttempt -> {
                    jobs.handle(request, lastAttempt);
                    return "job " + request.step() + " " + (request.check() == 0 ? "submitted" : "checked (" + request.check()
                            + ")") + ": " + request.pipeline() + "/" + request.runId();
                });
    }
}
