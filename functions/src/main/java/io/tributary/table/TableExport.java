package io.tributary.table;

import io.tributary.definition.output.RetentionText;
import io.tributary.run.BlobRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies one version of a table into a local folder as a Delta table of its own: the version's data files, at their
 * paths relative to the table's folder ({@code split=train/part-….parquet}), and a log of one commit,
 * {@code _delta_log/00000000000000000000.json}, holding the version's protocol, metadata and an {@code add} per file,
 * so that any Delta reader opens the folder and reads exactly the rows of that version.
 */
public final class TableExport {

    /** The export's own log: one commit, version 0. */
    public static final String LOG_FILE = TableLog.LOG + String.format("%020d", 0) + ".json";

    private final TableLog log;

    public TableExport(TableLog log) {
        this.log = log;
    }

    /** Told after each file is copied. */
    public interface Progress {
        Progress NONE = (files, totalFiles, bytes, totalBytes) -> { };

        void copied(int files, int totalFiles, long bytes, long totalBytes);
    }

    /**
     * What an export wrote.
     *
     * @param files the data files, relative to the folder
     * @param bytes the data files' bytes
     */
    public record Exported(long version, long timestamp, long rows, List<String> files, long bytes, Path logFile) {
    }

    /**
     * Copies {@code version} into {@code dir} (which should be empty). Checks first that every file the version reads
     * is still stored, so an export that cannot be whole copies nothing.
     *
     * @param retention the table's retention, named when a file is gone; null when not known
     * @throws IllegalStateException naming the version, the first file that is gone and the retention
     */
    public Exported export(Snapshot version, Path dir, Duration retention, Progress progress) {
        Map<String, Action.AddFile> files = version.files();
        requireStored(version, retention);
        long totalBytes = files.values().stream().mapToLong(Action.AddFile::size).sum();
        List<String> paths = new ArrayList<>();
        long bytes = 0;
        try {
            for (Action.AddFile file : files.values()) {
                String path = DataPaths.decode(file.path());
                Path local = dir.resolve(path).normalize();
                if (!local.startsWith(dir.normalize())) {
                    throw new IllegalStateException("data file " + path + " of " + log.where() + " would be written "
                            + "outside " + dir + "; the table's log is not one Tributary wrote");
                }
                Files.createDirectories(local.getParent());
                log.blobs().download(new BlobRef(log.container(), log.root() + path, null), local);
                paths.add(path);
                bytes += Files.size(local);
                progress.copied(paths.size(), files.size(), bytes, totalBytes);
            }
            Path logFile = dir.resolve(LOG_FILE);
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, LogJson.write(actions(version)));
            return new Exported(version.version(), version.timestamp(), version.rows(), List.copyOf(paths), bytes,
                    logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The one commit of the exported table: where it came from, the version's protocol and metadata, its files. */
    private List<Action> actions(Snapshot version) {
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("table", log.where());
        from.put("version", version.version());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("timestamp", version.timestamp());
        info.put("operation", "WRITE");
        info.put("operationParameters", Map.of("mode", "ErrorIfExists", "partitionBy",
                LogJson.text(version.metadata().partitionColumns())));
        info.put("engineInfo", "Tributary export");
        info.put("isBlindAppend", true);
        info.put("tributary", Map.of("exportedFrom", from));
        List<Action> actions = new ArrayList<>();
        actions.add(Action.commitInfo(info));
        actions.add(Action.of(version.protocol()));
        actions.add(Action.of(version.metadata()));
        for (Action.AddFile f : version.files().values()) {
            actions.add(Action.of(new Action.AddFile(f.path(), f.partitionValues(), f.size(), f.modificationTime(),
                    true, f.stats(), f.tags())));
        }
        return actions;
    }

    /** Fails when a file {@code version} reads is no longer stored (vacuum deleted it). */
    private void requireStored(Snapshot version, Duration retention) {
        Set<String> stored = new HashSet<>(log.blobs().list(log.container(), log.root()));
        for (String path : version.files().keySet()) {
            String name = log.root() + DataPaths.decode(path);
            if (!stored.contains(name)) {
                String latest = log.newestVersion().isPresent() ? ", the latest is " + log.newestVersion().getAsLong()
                        : "";
                throw new IllegalStateException("version " + version.version() + " of table " + log.where()
                        + " can no longer be read: its data file " + DataPaths.decode(path) + " is gone. Vacuum "
                        + "deletes the files that only versions replaced longer than the table's retention ago read ("
                        + (retention == null ? "output.table.retention" : RetentionText.text(retention)
                        + ", output.table.retention") + "); export a newer version (" + "'tributary history' lists "
                        + "them" + latest + "), or keep files longer by raising the retention");
            }
        }
    }
}
