package io.tributary.cli;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import io.tributary.start.ManualRuns;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code tributary demo}: starts Azurite and the local host, uploads the reference data the samples look up
 * ({@code pipeline-defs/reference/}), drops each sample input in {@code pipeline-defs/samples/{pipeline}/}, waits
 * for the runs to commit and shows what they produced; then starts stand-ins for the API and the database the
 * scheduled samples read ({@link DemoSources}), runs each of those pipelines in full, lets new data arrive and runs
 * them again, incrementally.
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
        DemoSources.allowSettings();
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
                RunId runId = dropped.runId(pipeline);
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
                if (!awaitConsumers(session, catalog, pipeline, runId, timeout, runIds)) {
                    return 1;
                }
            }
            List<PipelineDefinition> fetched = catalog.all().stream().filter(p -> p.fetched().isPresent())
                    .sorted(Comparator.comparing(PipelineDefinition::name)).toList();
            if (!fetched.isEmpty() && !runFetched(session, fetched, timeout, runIds)) {
                return 1;
            }
            if (!showTables(catalog)) {
                return 1;
            }
            out.println();
            out.println("Done: " + runIds.size() + " dataset" + (runIds.size() == 1 ? "" : "s") + " committed in "
                    + session.clients().account() + ".");
            out.println("Next: 'tributary export " + runIds.get(0) + " ./out' downloads it; 'tributary runs' lists runs;");
            out.println("      'tributary host' keeps a host running for your own drops and serves the dashboard at");
            out.println("      http://127.0.0.1:7071/api/dashboard; 'tributary stop' stops Azurite.");
            return 0;
        }
    }

    /**
     * Shows the versions of the sample pipelines' tables, and exports the first version of each merged one (its state
     * before the changes merged since) as a Delta table of its own; false when a command failed.
     */
    private boolean showTables(PipelineCatalog catalog) {
        List<PipelineDefinition> tables = catalog.all().stream().filter(p -> p.output().tableOutput().isPresent())
                .sorted(Comparator.comparing(PipelineDefinition::name)).toList();
        for (PipelineDefinition pipeline : tables) {
            out.println();
            out.println("The versions of " + pipeline.name() + "'s table ('tributary history " + pipeline.name() + "'):");
            if (new HistoryCommand(workspace, out).run(List.of(pipeline.name())) != 0) {
                return false;
            }
            if (pipeline.output().table().mode() == io.tributary.definition.output.TableOutput.Mode.MERGE) {
                Path dir = workspace.stateDir().resolve("demo-export").resolve(pipeline.name() + "-v0");
                out.println();
                out.println("Time travel: 'tributary export " + pipeline.name() + " " + workspace.root().relativize(dir)
                        + " --version 0' writes the table as it was before the merge:");
                if (new ExportCommand(workspace, out).run(List.of(pipeline.name(), dir.toString(), "--version", "0",
                        "--force")) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Runs each pipeline that fetches its source against the stand-ins: a full load, then, once new data arrived,
     * an incremental run of those that have a cursor, which reads only what is new.
     */
    private boolean runFetched(Session session, List<PipelineDefinition> pipelines, Duration timeout,
                               List<String> runIds) {
        out.println();
        try (DemoSources sources = DemoSources.start(out)) {
            List<PipelineDefinition> runnable = new ArrayList<>();
            for (PipelineDefinition pipeline : pipelines) {
                List<String> unset = DemoSources.unsetSettings(pipeline);
                if (unset.isEmpty()) {
                    runnable.add(pipeline);
                } else {
                    out.println("  (skipping " + pipeline.name() + ": it needs the app setting" + (unset.size() == 1
                            ? " " : "s ") + String.join(", ", unset) + ", which the demo has no stand-in for; set "
                            + (unset.size() == 1 ? "it" : "them") + " in local.settings.json)");
                }
            }
            for (PipelineDefinition pipeline : runnable) {
                RunId runId = start(session, pipeline, true);
                out.println();
                out.println("Started run " + runId + " of " + pipeline.name() + " (" + describe(pipeline)
                        + ", a full load):");
                boolean committed = RunWaiter.await(session, runId, timeout, out, false);
                out.println();
                StatusPrinter.text(session.history().status(runId).orElseThrow(), out);
                if (!committed) {
                    return false;
                }
                runIds.add(pipeline.name() + "/" + runId);
            }
            out.println();
            out.println("New data arrives: " + sources.arrive() + ".");
            for (PipelineDefinition pipeline : runnable) {
                if (pipeline.incremental().isEmpty()) {
                    continue;
                }
                RunId runId = start(session, pipeline, false);
                boolean committed = RunWaiter.await(session, runId, timeout, new PrintStream(
                        java.io.OutputStream.nullOutputStream()), false);
                var status = session.history().status(runId).orElseThrow();
                if (!committed || status.manifest().isEmpty()) {
                    StatusPrinter.text(status, out);
                    return false;
                }
                var manifest = status.manifest().get();
                var range = manifest.fetched().watermark();
                out.println("  run " + runId + " of " + pipeline.name() + " (incremental): fetched "
                        + manifest.fetched().records() + " records with " + range.cursor() + " after " + range.low()
                        + ", committed " + manifest.rows().out() + " rows; the high-water mark is now " + range.high());
                if (manifest.table() != null) {
                    out.println("  " + TableLines.committed(manifest.table()));
                }
                runIds.add(pipeline.name() + "/" + runId);
            }
        }
        return true;
    }

    /**
     * Waits for the runs that {@code runId}'s commit started of the pipelines consuming its dataset (a
     * {@code dataset} trigger) and shows them; false when one did not commit.
     */
    private boolean awaitConsumers(Session session, PipelineCatalog catalog, PipelineDefinition pipeline, RunId runId,
                                   Duration timeout, List<String> runIds) {
        var committedAt = session.history().manifest(pipeline.name(), runId).map(m -> m.committedAt());
        for (PipelineDefinition consumer : catalog.consumersOf(pipeline.name())) {
            if (committedAt.isEmpty()) {
                break;
            }
            RunId started = RunId.forDataset(consumer.name(), runId, committedAt.get());
            out.println();
            out.println("The commit of " + pipeline.name() + "/" + runId + " started run " + started + " of "
                    + consumer.name() + " (dataset trigger), which reads its Parquet parts:");
            boolean committed = RunWaiter.await(session, started, timeout, out, false);
            out.println();
            StatusPrinter.text(session.history().status(started).orElseThrow(), out);
            if (!committed) {
                return false;
            }
            runIds.add(consumer.name() + "/" + started);
            out.println("  ('tributary lineage " + consumer.name() + "' shows where it came from)");
        }
        return true;
    }

    private static RunId start(Session session, PipelineDefinition pipeline, boolean fullRefresh) {
        return session.manual().start(pipeline, new ManualRuns.Request(UUID.randomUUID().toString(), Map.of(),
                fullRefresh, Optional.empty())).runs().get(0).runId();
    }

    private static String describe(PipelineDefinition pipeline) {
        return (pipeline.fetched().get().kind().equals("rest") ? "REST API" : "SQL query")
                + pipeline.schedule().map(s -> ", scheduled '" + s.cron() + "' in " + s.timeZone().getId()).orElse("");
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
