package io.tributary.testing;

import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's table copied from blob storage to a local folder, as another reader would see it: every blob under the
 * table's folder, each commit file's modification time set to its commit's time (readers travel in time by it).
 */
public final class TableDownload {

    private static final Pattern TIMESTAMP = Pattern.compile("\"commitInfo\":\\{\"timestamp\":(\\d+)");

    private TableDownload() {
    }

    /** Copies {@code pipeline}'s table into {@code dir} (emptied first); returns the table's local root. */
    public static Path of(BlobStore blobs, String pipeline, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String root = RunLayout.table(pipeline);
        for (String name : blobs.list(RunLayout.TRAINING, root)) {
            Path local = dir.resolve(name.substring(root.length()));
            Files.createDirectories(local.getParent());
            BlobRef blob = blobs.current(RunLayout.TRAINING + "/" + name).orElseThrow();
            blobs.download(blob, local);
            if (name.endsWith(".json") && name.contains("/_delta_log/")) {
                Matcher m = TIMESTAMP.matcher(Files.readString(local, StandardCharsets.UTF_8));
                if (m.find()) {
                    Files.setLastModifiedTime(local, FileTime.fromMillis(Long.parseLong(m.group(1))));
                }
            }
        }
        return dir;
    }
}
