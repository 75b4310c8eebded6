package io.tributary.cli;

import io.tributary.definition.read.BlobReference;
import io.tributary.run.RunLayout;
import io.tributary.port.BlobInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tributary upload FILE CONTAINER/PATH}: puts a file into storage without starting anything — the
 * reference data a {@code lookup} step reads, or a source blob a schedule reads.
 */
final class UploadCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    UploadCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of());
        List<String> positional = args.positionals();
        if (positional.size() != 2) {
            throw new UsageException("upload needs FILE and CONTAINER/PATH, e.g. tributary upload stores.csv "
                    + "reference/stores.csv");
        }
        Path file = Path.of(positional.get(0));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        String target = positional.get(1);
        if (!BlobReference.PATTERN.matcher(target).matches()) {
            throw new UsageException("'" + target + "' is not CONTAINER/PATH: a container name of 3-63 lower-case "
                    + "letters, digits and single '-', then the blob's path");
        }
        String container = target.substring(0, target.indexOf('/'));
        if (container.equals(RunLayout.LANDING)) {
            throw new UsageException("the landing container starts runs: use 'tributary drop' to drop a file there");
        }
        if (container.equals(RunLayout.TRAINING) || container.equals(RunLayout.RUNS)) {
            throw new UsageException("the " + container + " container holds Tributary's datasets and run records; "
                    + "upload reference data to a container of its own, e.g. reference/");
        }
        BlobInfo info = upload(Session.open(workspace), file, container, target.substring(container.length() + 1));
        out.println("Uploaded " + file + " as " + target + " (" + info.size() + " bytes, ETag " + info.etag() + ")");
        return 0;
    }

    static BlobInfo upload(Session session, Path file, String container, String name) {
        session.clients().createContainer(container);
        session.blobs().upload(container, name, file);
        return session.blobs().properties(container, name).orElseThrow();
    }

    /**
     * Uploads each file under {@code folder} into {@code container} at its relative path: {@code folder/stores.csv}
     * becomes {@code container/stores.csv}. Returns the blobs written, as {@code container/path}.
     */
    static List<String> uploadTree(Session session, Path folder, String container) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().map(f -> {
                String name = folder.relativize(f).toString().replace('\\', '/');
                upload(session, f, container, name);
                return container + "/" + name;
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
