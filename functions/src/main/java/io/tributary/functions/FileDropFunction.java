package io.tributary.functions;

import com.azure.storage.blob.BlobClient;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.tributary.run.LogContext;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.start.FileDropStage;
import io.tributary.start.RunStarter;
import java.util.Optional;

/**
 * A file landed in the {@code landing} container: start the runs of the pipelines that listen to its
 * path. The blob is bound as a {@link BlobClient} (an SDK-type binding), so the host never loads its
 * content; the stages stream it. On Flex Consumption a blob trigger must be fed by Event Grid ({@code source =
 * "EventGrid"}: no polling of the container); the deployment subscribes the landing container's BlobCreated events
 * to the function's blobs extension endpoint. The local host watches Azurite itself and ignores the source.
 */
public class FileDropFunction {

    private final FileDropStage fileDrop;

    FileDropFunction(FileDropStage fileDrop) {
        this.fileDrop = fileDrop;
    }

    @FunctionName("fileDrop")
    public void run(
            @BlobTrigger(name = "blob", path = RunLayout.LANDING + "/{name}", connection = "AzureWebJobsStorage",
                    source = "EventGrid") BlobClient blob,
            @BindingName("name") String name,
            ExecutionContext context) {
        FileDropStage.Outcome outcome = fileDrop.drop(name, Optional.empty());
        if (outcome.runs().isEmpty()) {
            context.getLogger().warning(LogContext.tag(outcome.explanation()));
        }
        // One line per run, tagged with it, so that a query by run id finds where the run began.
        for (RunStarter.Started run : outcome.runs()) {
            try (LogContext.Scope scope = LogContext.open(run.runId(), run.pipeline(), Stage.FILE_DROP, -1)) {
                context.getLogger().info(LogContext.tag(outcome.explanation()));
            }
        }
    }
}
