package io.tributary.table;

import io.tributary.definition.output.RetentionText;
import io.tributary.port.BlobInfo;
import io.tributary.run.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deletes the data files of a table that no retained version reads. A file is deleted only when the newest version
 * does not read it and either a version removed it longer than the retention ago (its tombstone's
 * {@code deletionTimestamp}), or no version ever named it (left by an attempt that did not commit) and it was written
 * longer than the retention ago. A file whose name carries the id of a run that has not ended is never deleted: an
 * append or overwrite writes its parts into the table's folder before its commit names them, and a run may take
 * longer than the retention. The log ({@code _delta_log/}), hidden files ({@code _…}, {@code .…}) and files
 * neither Tributary wrote ({@code part-{runId}-…}) nor the log named are never touched.
 */
public final class TableVacuum {

    private static final Pattern RUN_PART = Pattern.compile("part-(\\d{8}T\\d{6}Z-[0-9a-f]{10})-.*");

    private final TableLog log;
    private final Predicate<RunId> runEnded;
    private final Clock clock;

    /**
     * @param runEnded whether a run has ended (committed or failed): only then may files its id names be deleted
     */
    public TableVacuum(TableLog log, Predicate<RunId> runEnded, Clock clock) {
        this.log = log;
        this.runEnded = runEnded;
        this.clock = clock;
    }

    /** Why a file is deleted. */
    public enum Reason {
        /** A version removed it longer than the retention ago. */
        REMOVED,
        /** No version named it: an attempt that did not commit left it. */
        UNCOMMITTED
    }

    /**
     * A file deleted (or, in a dry run, that would be).
     *
     * @param path where it is stored, relative to the table's folder
     */
    public record Deletion(String path, long bytes, Reason reason) {
    }

    /**
     * What one vacuum did.
     *
     * @param version the newest version when it ran; null for a table with none
     * @param kept    files no version reads that it kept: removed or written within the retention, or of a run that has
     *                not ended
     */
    public record Vacuumed(String table, Duration retention, Instant cutoff, Long version, List<Deletion> deleted,
                           int kept, boolean dryRun) {

        public long bytes() {
            return deleted.stream().mapToLong(Deletion::bytes).sum();
        }

        public long count(Reason reason) {
            return deleted.stream().filter(d -> d.reason() == reason).count();
        }
    }

    /**
     * Deletes the files no retained version reads ({@code dryRun}: only says which it would).
     *
     * @throws IllegalArgumentException for a retention shorter than {@link RetentionText#MINIMUM}
     */
    public Vacuumed vacuum(Duration retention, boolean dryRun) {
        if (retention.compareTo(RetentionText.MINIMUM) < 0) {
            throw new IllegalArgumentException("a retention of " + RetentionText.text(retention) + " could delete a "
                    + "file a reader is still reading; give at least 1h");
        }
        // To the second, rounded down: what it says is what it went by, and it never deletes sooner than asked.
        Instant cutoff = clock.instant().minus(retention).truncatedTo(ChronoUnit.SECONDS);
        List<String> stored = dataFiles();
        // Which runs have ended is asked before the log is read: a run that ended since has its commit in the log.
        Map<RunId, Boolean> ended = new HashMap<>();
        for (String path : stored) {
            runOf(path).ifPresent(run -> ended.computeIfAbsent(run, runEnded::test));
        }
        Optional<Snapshot> latest = log.latest();
        Map<String, Action.RemoveFile> removed = new HashMap<>();
        Set<String> read = new HashSet<>();
        latest.ifPresent(s -> {
            s.files().keySet().forEach(p -> read.add(DataPaths.decode(p)));
            s.tombstones().forEach((p, r) -> removed.put(DataPaths.decode(p), r));
        });
        List<Deletion> deleted = new ArrayList<>();
        int kept = 0;
        for (String path : stored) {
            if (read.contains(path)) {
                continue;
            }
            Optional<RunId> run = runOf(path);
            Action.RemoveFile removal = removed.get(path);
            if (run.isEmpty() && removal == null) {
                continue; // not a file Tributary wrote, nor one the log ever named: not the vacuum's
            }
            Optional<Deletion> deletion = run.isPresent() && !ended.get(run.get()) ? Optional.empty()
                    : deletable(path, removal, cutoff);
            if (deletion.isEmpty()) {
                kept++;
                continue;
            }
            if (!dryRun) {
                log.blobs().delete(log.container(), log.root() + path);
            }
            deleted.add(deletion.get());
        }
        return new Vacuumed(log.where(), retention, cutoff, latest.map(Snapshot::version).orElse(null),
                List.copyOf(deleted), kept, dryRun);
    }

    /**
     * The deletion of the file at {@code path}, unless it must stay: a removed file once its removal is past the
     * cutoff; a file no version named once it was written before the cutoff.
     */
    private Optional<Deletion> deletable(String path, Action.RemoveFile removal, Instant cutoff) {
        Optional<BlobInfo> blob = log.blobs().properties(log.container(), log.root() + path);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        if (removal != null) {
            Instant removedAt = removal.deletionTimestamp() == null ? blob.get().lastModified()
                    : Instant.ofEpochMilli(removal.deletionTimestamp());
            return removedAt.isBefore(cutoff) ? Optional.of(new Deletion(path, blob.get().size(), Reason.REMOVED))
                    : Optional.empty();
        }
        return blob.get().lastModified().isBefore(cutoff)
                ? Optional.of(new Deletion(path, blob.get().size(), Reason.UNCOMMITTED)) : Optional.empty();
    }

    /** The table's data files, relative to its folder: everything but the log and hidden files. */
    private List<String> dataFiles() {
        List<String> files = new ArrayList<>();
        for (String name : log.blobs().list(log.container(), log.root())) {
            String path = name.substring(log.root().length());
            boolean hidden = false;
            for (String segment : path.split("/")) {
                // As Delta's own vacuum: a partition folder may start with '_' (it holds '='), nothing else may.
                hidden |= segment.startsWith(".") || segment.startsWith("_") && !segment.contains("=");
            }
            if (!hidden) {
                files.add(path);
            }
        }
        return files;
    }

    /** The run whose id the file's name carries ({@code part-{runId}-…}), if any. */
    static Optional<RunId> runOf(String path) {
        Matcher m = RUN_PART.matcher(path.substring(path.lastIndexOf('/') + 1));
        return m.matches() ? Optional.of(RunId.parse(m.group(1))) : Optional.empty();
    }
}
