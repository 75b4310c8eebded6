package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.stage.BlobInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code tributary drop FILE [--to landing/PATH]}: uploads a file into the landing container, as a file drop. */
final class DropCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    DropCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of("to"));
        Path file = Path.of(args.single("file"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        PipelineCatalog catalog = workspace.catalog();
        String name = args.option("to").map(DropCommand::landingName)
                .orElseGet(() -> defaultName(catalog, file.getFileName().toString()));
        Session session = Session.open(workspace);
        Dropped dropped = drop(session, file, name);
        List<PipelineDefinition> listening = catalog.listeningTo(name);
        out.println("Dropped " + file + " as " + RunLayout.LANDING + "/" + name + " (" + dropped.info().size()
                + " bytes, ETag " + dropped.info().etag() + ")");
        if (listening.isEmpty()) {
            out.println("No pipeline listens to " + RunLayout.LANDING + "/" + name + "; the file stays there. Use --to "
                    + "with a path a pipeline's trigger.path matches.");
        }
        for (PipelineDefinition pipeline : listening) {
            if (dropped.info().size() == 0 && !pipeline.fileDrop().orElseThrow().runsOnEmptyFiles()) {
                out.println("The file is empty, so " + pipeline.name() + " starts no run (its trigger ignores empty "
                        + "files; \"emptyFiles\": \"run\" runs them)");
                continue;
            }
            out.println("A running host starts run " + dropped.runId(pipeline) + " of " + pipeline.name()
                    + "; follow it with: tributary status " + dropped.runId(pipeline));
        }
        return 0;
    }

    /** An uploaded drop: its blob, when the upload finished, and the run each listening pipeline gives it. */
    record Dropped(BlobRef blob, BlobInfo info, java.time.Instant uploadedAt) {
        String runId(PipelineDefinition pipeline) {
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

    /** Where a file of this name lands by default: under the one pipeline folder whose glob then matches it. */
    static String defaultName(PipelineCatalog catalog, String fileName) {
        List<String> candidates = catalog.all().stream()
                .flatMap(p -> p.fileDrop().stream())
                .map(t -> folderOf(t.path()) + fileName)
                .filter(n -> !catalog.listeningTo(n).isEmpty())
                .distinct().toList();
        return candidates.size() == 1 ? candidates.get(0) : fileName;
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
