package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tributary demo}: starts Azurite and the local host, uploads the reference data the samples look up
 * ({@code pipeline-defs/reference/}), drops each sample input in {@code pipeline-defs/samples/{pipeline}/}, waits
 * for the runs to commit and shows what they produced.
 */
final class DemoCommand implements Main.Command {

    /** Reference data the samples' lookup steps read: {@code pipeline-defs/reference/} becomes the container. */
    private static final String REFERENCE = "reference";

    private final Workspace workspace;
    private final PrintStream out;

    DemoCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("verbose"), Set.of("timeout"));
        Duration timeout = args.seconds("timeout", 300);
        List<Path> samples = samples();
        if (samples.isEmpty()) {
            throw new IllegalStateException("no sample inputs under " + workspace.pipelineDefs().resolve("samples"));
        }
        try (LocalHost host = HostCommand.start(workspace, out, args.flag("verbose"), 7071)) {
            Session session = Session.open(workspace);
            PipelineCatalog catalog = workspace.catalog();
            List<String> runIds = new ArrayList<>();
            for (String blob : UploadCommand.uploadTree(session, workspace.pipelineDefs().resolve(REFERENCE), REFERENCE)) {
                out.println("Uploaded reference data " + blob);
            }
            for (Path sample : samples) {
                PipelineDefinition pipeline = catalog.get(sample.getParent().getFileName().toString());
                String name = DropCommand.nameFor(pipeline, sample.getFileName().toString());
                if (!catalog.listeningTo(name).contains(pipeline)) {
                    throw new IllegalStateException("sample " + sample + " does not match the trigger.path of '"
                            + pipeline.name() + "'");
                }
                DropCommand.Dropped dropped = DropCommand.drop(session, sample, name);
                String runId = dropped.runId(pipeline);
                out.println();
                out.println("Dropped " + workspace.root().relativize(sample.toAbsolutePath()) + " as "
                        + RunLayout.LANDING + "/" + name + "; run " + runId + " of " + pipeline.name() + ":");
                boolean committed = RunWaiter.await(session, runId, timeout, out, false);
                var status = session.history().status(runId).orElseThrow();
                out.printf("  (the blob trigger fired %.2f s after the upload finished)%n", java.time.Duration.between(
                        dropped.uploadedAt(), status.record().startedAt()).toMillis() / 1000.0);
                out.println();
                StatusPrinter.text(status, out);
                if (!committed) {
                    return 1;
                }
                runIds.add(pipeline.name() + "/" + runId);
            }
            out.println();
            out.println("Done: " + runIds.size() + " dataset" + (runIds.size() == 1 ? "" : "s") + " committed in "
                    + session.clients().account() + ".");
            out.println("Next: 'tributary export " + runIds.get(0) + " ./out' downloads it; 'tributary runs' lists runs;");
            out.println("      'tributary host' keeps a host running for your own drops; 'tributary stop' stops Azurite.");
            return 0;
        }
    }

    private List<Path> samples() {
        Path folder = workspace.pipelineDefs().resolve("samples");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder, 2)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getParent().equals(folder)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
