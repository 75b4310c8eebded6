package io.tributary.cli;

import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.BlobRef;
import io.tributary.history.RunQueries;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tributary export PIPELINE[/RUN_ID] DIR [--force]}: downloads a committed dataset, manifest included, into a
 * new or empty folder ({@code --force} empties it first).
 */
final class ExportCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    ExportCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("force"), Set.of());
        if (args.positionals().size() != 2) {
            throw new UsageException("expected PIPELINE[/RUN_ID] DIR");
        }
        String[] target = args.positionals().get(0).split("/", 2);
        Path dir = Path.of(args.positionals().get(1));
        String pipeline = target[0];
        boolean clear = requireEmptyOrForced(dir, args.flag("force"));
        Session session = Session.read(workspace);
        new RunQueries(session.runs()).requirePipeline(workspace.names(), pipeline);
        RunId runId;
        if (target.length == 2) {
            if (!RunId.isValid(target[1])) {
                throw new UsageException("'" + target[1] + "' is not a run id");
            }
            runId = RunId.parse(target[1]);
        } else {
            runId = session.history().latest(pipeline).map(LatestPointer::runId).orElseThrow(() ->
                    new IllegalArgumentException("pipeline '" + pipeline + "' has no committed dataset yet "
                            + "(no " + RunLayout.TRAINING + "/" + RunLayout.latest(pipeline) + ")"));
        }
        Manifest manifest = session.history().manifest(pipeline, runId).orElseThrow(() ->
                new IllegalArgumentException("run " + runId + " of '" + pipeline + "' has no committed dataset; "
                        + "'tributary status " + runId + "' says why"));
        if (clear) {
            clearContents(dir);
        }
        String folder = RunLayout.datasetFolder(pipeline, runId);
        List<String> files = new ArrayList<>();
        manifest.files().forEach(f -> files.add(f.path()));
        files.addAll(manifest.mlTables());
        files.addAll(manifest.rejects());
        files.add(RunLayout.MANIFEST);
        long bytes = 0;
        for (String file : files) {
            Path local = dir.resolve(file);
            try {
                Files.createDirectories(local.getParent() == null ? dir : local.getParent());
                long size = session.blobs().properties(RunLayout.TRAINING, folder + file).orElseThrow().size();
                session.blobs().download(new BlobRef(RunLayout.TRAINING, folder + file, null), 0, size, local);
                bytes += size;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.println("Exported " + pipeline + "/" + runId + " (" + manifest.rows().out() + " rows, " + files.size()
                + " files, " + bytes + " bytes) to " + dir);
        files.forEach(f -> out.println("  " + dir.resolve(f)));
        return 0;
    }

    /**
     * Whether {@code dir} must be cleared before the export: an export into a folder that holds files would mix two
     * datasets, so it needs {@code --force}, which empties the folder first.
     *
     * @throws UsageException when {@code dir} is a file, or holds files and {@code force} is not given
     */
    private boolean requireEmptyOrForced(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(dir + " is a file, not a folder; name a folder to export into");
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (empty) {
            return false;
        }
        if (!force) {
            throw new UsageException(dir + " is not empty; export into a new or empty folder, or add --force to "
                    + "delete what it holds first");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        if (workspace.root().startsWith(absolute) || absolute.getParent() == null) {
            throw new UsageException("--force would delete " + absolute + ", which holds the project; export into a "
                    + "folder of its own");
        }
        return true;
    }

    /** Deletes everything inside {@code dir}, keeping the folder itself. */
    private static void clearContents(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
