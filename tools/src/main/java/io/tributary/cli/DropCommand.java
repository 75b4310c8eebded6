package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.port.BlobInfo;
import io.tributary.start.BrokenDefinition;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code tributary drop FILE [--to landing/PATH] [--wait]}: uploads a file into the landing container, as a file drop,
 * under the folder of the one pipeline whose trigger takes its name; with {@code --wait}, follows the runs it starts.
 * A name several pipelines or none would take, or a drop meant for a broken definition, uploads nothing.
 */
final class DropCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    DropCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("wait"), Set.of("to", "timeout"));
        Path file = Path.of(args.single("file"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        Duration timeout = args.seconds("timeout", 600);
        PipelineCatalog catalog = workspace.catalog();
        String name = args.option("to").map(DropCommand::landingName)
                .orElseGet(() -> defaultName(catalog, file.getFileName().toString()));
        List<PipelineDefinition> listening = catalog.listeningTo(name);
        if (listening.isEmpty()) {
            BrokenDefinition.of(catalog).stream().filter(b -> b.wouldTake(name)).findFirst().ifPresent(broken -> {
                throw new IllegalStateException(broken.dropRefusal(RunLayout.LANDING + "/" + name)
                        .replace(workspace.root() + java.io.File.separator, "") + "; nothing was uploaded");
            });
        }
        Session session = Session.open(workspace);
        Dropped dropped = drop(session, file, name);
        out.println("Dropped " + file + " as " + RunLayout.LANDING + "/" + name + " (" + dropped.info().size()
                + " bytes, ETag " + dropped.info().etag() + ")");
        if (listening.isEmpty()) {
            out.println("No pipeline listens to " + RunLayout.LANDING + "/" + name + "; the file stays there. Use --to "
                    + "with a path a pipeline's trigger.path matches.");
        }
        List<RunId> started = new ArrayList<>();
        for (PipelineDefinition pipeline : listening) {
            if (dropped.info().size() == 0 && !pipeline.fileDrop().orElseThrow().runsOnEmptyFiles()) {
                out.println("The file is empty, so " + pipeline.name() + " starts no run (its trigger ignores empty "
                        + "files; \"emptyFiles\": \"run\" runs them)");
                continue;
            }
            started.add(dropped.runId(pipeline));
            out.println("A running host starts run " + dropped.runId(pipeline) + " of " + pipeline.name()
                    + (args.flag("wait") ? ":" : "; follow it with: tributary status " + dropped.runId(pipeline)));
        }
        boolean allCommitted = true;
        if (args.flag("wait")) {
            for (RunId runId : started) {
                allCommitted &= RunWaiter.follow(session, runId, timeout, out, Set.of());
            }
        }
        return allCommitted ? 0 : 1;
    }

    /** An uploaded drop: its blob, when the upload finished, and the run each listening pipeline gives it. */
    record Dropped(BlobRef blob, BlobInfo info, java.time.Instant uploadedAt) {
        RunId runId(PipelineDefinition pipeline) {
            return RunId.forDrop(pipeline.name(), blob, info.lastModified());
        }
    }

    static Dropped drop(Session session, Path file, String name) {
        session.blobs().upload(RunLayout.LANDING, name, file);
        java.time.Instant uploadedAt = java.time.Instant.now();
        BlobInfo info = session.blobs().properties(RunLayout.LANDING, name).orElseThrow();
        return new Dropped(new BlobRef(RunLayout.LANDING, name, info.etag()), info, uploadedAt);
    }

    private static String landingName(String to) {
        String name = to.startsWith(RunLayout.LANDING + "/") ? to.substring(RunLayout.LANDING.length() + 1) : to;
        if (name.isBlank() || name.startsWith("/") || name.endsWith("/")) {
            throw new UsageException("--to needs a blob path such as landing/orders/export.csv");
        }
        return name;
    }

    /** Where a file of this name lands for {@code pipeline}: under the folder of its trigger's glob. */
    static String nameFor(PipelineDefinition pipeline, String fileName) {
        return pipeline.fileDrop().map(t -> folderOf(t.path()) + fileName).orElse(fileName);
    }

    /**
     * Where a file of this name lands by default: under the one pipeline folder whose glob then matches it.
     *
     * @throws UsageException when several pipelines would take it (naming each place), or none would (naming the
     *                        paths pipelines listen to): {@code --to} says where it goes
     */
    static String defaultName(PipelineCatalog catalog, String fileName) {
        Map<String, List<String>> candidates = new TreeMap<>();
        for (PipelineDefinition pipeline : catalog.all()) {
            if (pipeline.fileDrop().isPresent()) {
                String name = folderOf(pipeline.fileDrop().get().path()) + fileName;
                catalog.listeningTo(name).forEach(p -> candidates.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(p.name()));
            }
        }
        for (BrokenDefinition broken : BrokenDefinition.of(catalog)) {
            String name = folderOf(broken.landingPath().orElse(broken.pipeline() + "/*")) + fileName;
            if (candidates.isEmpty() && broken.wouldTake(name)) {
                return name; // the drop is refused, naming the broken definition
            }
        }
        if (candidates.size() == 1) {
            return candidates.keySet().iterator().next();
        }
        if (candidates.isEmpty()) {
            String listened = catalog.all().stream().filter(p -> p.fileDrop().isPresent())
                    .map(p -> RunLayout.LANDING + "/" + p.fileDrop().get().path() + " (" + p.name() + ")")
                    .collect(Collectors.joining(", "));
            throw new UsageException("no pipeline's trigger.path takes a file named " + fileName + "; nothing was "
                    + "uploaded. Pipelines listening: " + (listened.isEmpty() ? "none" : listened) + ". Rename the "
                    + "file to match one, or give its place with --to landing/PATH");
        }
        throw new UsageException("several pipelines could take " + fileName + ": " + candidates.entrySet().stream()
                .map(e -> RunLayout.LANDING + "/" + e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining(", ")) + "; nothing was uploaded. Choose one with --to, e.g. --to "
                + RunLayout.LANDING + "/" + candidates.keySet().iterator().next());
    }

    private static String folderOf(String glob) {
        int wildcard = glob.length();
        for (char c : new char[] {'*', '?', '{'}) {
            int i = glob.indexOf(c);
            if (i >= 0) {
                wildcard = Math.min(wildcard, i);
            }
        }
        return glob.substring(0, glob.lastIndexOf('/', wildcard) + 1);
    }
}
