package io.tributary.definition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The catalog of a definitions folder, read again when a definition file is added, changed or
 * removed — so a running host picks up an edited pipeline without a restart. Each run keeps the
 * snapshot it started with, so a reload never changes a run in flight.
 */
public final class WatchedCatalog implements Supplier<PipelineCatalog> {

    private final Path folder;
    private final DefinitionCheck check;
    private final DefinitionAccess access;
    private List<String> fingerprint;
    private PipelineCatalog catalog;

    /** @param access the settings and containers definitions may use (the app's, read once at start) */
    public WatchedCatalog(Path folder, DefinitionCheck check, DefinitionAccess access) {
        this.folder = folder;
        this.check = check;
        this.access = access;
    }

    @Override
    public synchronized PipelineCatalog get() {
        List<String> now = fingerprint();
        if (catalog == null || !now.equals(fingerprint)) {
            catalog = PipelineCatalog.load(folder, check, access);
            fingerprint = now;
        }
        return catalog;
    }

    private List<String> fingerprint() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return f.getFileName() + "@" + Files.getLastModifiedTime(f).toMillis() + "/" + Files.size(f);
                } catch (IOException e) {
                    return f.getFileName() + "@?";
                }
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
