package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.stage.BlobInfo;
import io.tributary.stage.RunStarter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code tributary run PIPELINE [--input FILE] [--wait]}: starts a run by hand; a running host carries it out. */
final class RunCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    RunCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("wait"), Set.of("input", "timeout"));
        Duration timeout = args.seconds("timeout", 600);
        PipelineDefinition pipeline = workspace.catalog().get(args.single("pipeline"));
        Session session = Session.open(workspace);
        Instant now = Instant.now();
        String runId = RunId.forRequest(pipeline.name(), UUID.randomUUID().toString(), now);
        BlobRef source;
        if (args.option("input").isPresent()) {
            Path input = Path.of(args.option("input").get());
            if (!Files.isRegularFile(input)) {
                throw new UsageException("no such file: " + input);
            }
            String name = runId + "/input/" + input.getFileName();
            session.blobs().upload(RunLayout.RUNS, name, input);
            source = new BlobRef(RunLayout.RUNS, name, session.blobs().properties(RunLayout.RUNS, name).orElseThrow().etag());
        } else {
            String blob = pipeline.sourceBlob().orElseThrow(() -> new UsageException("pipeline '" + pipeline.name()
                    + "' has no source.blob to read; give the data with --input FILE"));
            String[] parts = blob.split("/", 2);
            BlobInfo info = session.blobs().properties(parts[0], parts[1]).orElseThrow(() ->
                    new IllegalStateException("the source " + blob + " of pipeline '" + pipeline.name()
                            + "' does not exist"));
            source = new BlobRef(parts[0], parts[1], info.etag());
        }
        RunStarter.Started started = session.starter().start(pipeline, runId, source, "manual", Map.of());
        out.println("Started run " + started.runId() + " of " + pipeline.name() + " over " + source.container() + "/"
                + source.name());
        if (!args.flag("wait")) {
            out.println("A running host ('tributary host') carries it out; follow it with: tributary status " + runId);
            return 0;
        }
        return RunWaiter.await(session, runId, timeout, out, true) ? 0 : 1;
    }
}
