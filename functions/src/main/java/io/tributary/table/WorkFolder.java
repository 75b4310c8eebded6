package io.tributary.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder of its own under the process's work dir, for one checkpoint or merge, deleted when done. */
final class WorkFolder {

    private WorkFolder() {
    }

    /** A new, empty folder under {@code root}, named {@code prefix} and a unique suffix. */
    static Path create(Path root, String prefix) {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code folder} and everything in it; what cannot be deleted is swept with the process's work dir. */
    static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the sweep.
        }
    }
}
