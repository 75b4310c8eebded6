package io.tributary.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A table's versions, newest first, a page at a time: what each commit did, read from its {@code commitInfo} (its
 * operation, the run that made it and its metrics) and, where a commit carries no metrics, counted from its
 * {@code add} and {@code remove} actions. Reads one commit file per version listed, never the whole log.
 */
public final class TableHistory {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 1000;

    private final TableLog log;

    public TableHistory(TableLog log) {
        this.log = log;
    }

    /**
     * One version.
     *
     * @param committedAt when it was committed; null when its commit is no longer in the log
     * @param operation   the commit's operation ({@code WRITE}, {@code MERGE}, or another writer's); null when unknown
     * @param mode        {@code append}, {@code overwrite} or {@code merge}; null when unknown
     * @param runId       the Tributary run that committed it; null for another writer's commit
     * @param merged      the keys a merge inserted, updated and deleted; null for any other commit
     * @param inLog       false when only a checkpoint still states it: its commit file was cleaned away
     */
    public record Entry(long version, Instant committedAt, String operation, String mode, String runId,
                        long rowsAdded, long rowsRemoved, long filesAdded, long filesRemoved, long bytesAdded,
                        Merged merged, boolean inLog) {

        static Entry cleaned(long version) {
            return new Entry(version, null, null, null, null, 0, 0, 0, 0, 0, null, false);
        }
    }

    /** The keys a merge inserted, updated and deleted. */
    public record Merged(long inserted, long updated, long deleted) {
    }

    /**
     * A page of versions.
     *
     * @param latest     the table's newest version
     * @param entries    the versions of the page, newest first
     * @param nextBefore what to ask for as {@code before} for the next, older page; null when this page reaches
     *                   version 0
     */
    public record Page(long latest, List<Entry> entries, Long nextBefore) {
    }

    /**
     * Up to {@code limit} versions older than {@code before} (null: from the newest), newest first; empty when the
     * table has no versions.
     *
     * @throws IllegalArgumentException for a limit outside 1 to {@value #MAX_LIMIT} or a negative {@code before}
     */
    public Optional<Page> page(int limit, Long before) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a limit from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        if (before != null && before < 0) {
            throw new IllegalArgumentException("before takes a version, 0 or more, not " + before);
        }
        OptionalLong newest = log.newestVersion();
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> inLog = new TreeSet<>(log.versions());
        long from = before == null ? newest.getAsLong() : Math.min(before - 1, newest.getAsLong());
        List<Entry> entries = new ArrayList<>();
        long v = from;
        for (; v >= 0 && entries.size() < limit; v--) {
            long version = v;
            entries.add(inLog.contains(v) ? log.commit(v).map(c -> entry(version, c)).orElse(Entry.cleaned(v))
                    : Entry.cleaned(v));
        }
        return Optional.of(new Page(newest.getAsLong(), entries, v >= 0 ? v + 1 : null));
    }

    /** What version {@code version} did, as far as its commit is still in the log. */
    public Entry entry(long version) {
        return log.commit(version).map(c -> entry(version, c)).orElse(Entry.cleaned(version));
    }

    /** What the commit of {@code version} did. */
    static Entry entry(long version, List<Action> commit) {
        Map<String, Object> info = commit.stream().map(Action::commitInfo).filter(i -> i != null).findFirst()
                .orElse(Map.of());
        Map<?, ?> metrics = info.get("operationMetrics") instanceof Map<?, ?> m ? m : Map.of();
        Counts counted = Counts.of(commit);
        String operation = info.get("operation") instanceof String s ? s : null;
        long timestamp = TableLog.timestamp(commit);
        Merged merged = "MERGE".equals(operation) ? new Merged(metric(metrics, "numTargetRowsInserted", 0),
                metric(metrics, "numTargetRowsUpdated", 0), metric(metrics, "numTargetRowsDeleted", 0)) : null;
        return new Entry(version, timestamp == 0 ? null : Instant.ofEpochMilli(timestamp), operation,
                mode(operation, info), runId(info, commit), metric(metrics, "numOutputRows", counted.rowsAdded),
                metric(metrics, "numRemovedRows", counted.rowsRemoved), metric(metrics, "numFiles", counted.filesAdded),
                metric(metrics, "numRemovedFiles", counted.filesRemoved),
                metric(metrics, "numOutputBytes", counted.bytesAdded), merged, true);
    }

    /** {@code append}, {@code overwrite} or {@code merge}, from the operation and its parameters. */
    private static String mode(String operation, Map<String, Object> info) {
        if ("MERGE".equals(operation)) {
            return "merge";
        }
        if (info.get("operationParameters") instanceof Map<?, ?> parameters
                && parameters.get("mode") instanceof String mode) {
            return mode.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** The run the commit names, in its {@code commitInfo}, else by its transaction. */
    private static String runId(Map<String, Object> info, List<Action> commit) {
        if (info.get("tributary") instanceof Map<?, ?> tributary && tributary.get("runId") instanceof String runId) {
            return runId;
        }
        return commit.stream().map(Action::txn).filter(t -> t != null && t.appId().startsWith("tributary/"))
                .map(t -> t.appId().substring(t.appId().lastIndexOf('/') + 1)).findFirst().orElse(null);
    }

    /** A metric as Delta writers record it (text, or a number), else {@code fallback}. */
    private static long metric(Map<?, ?> metrics, String name, long fallback) {
        Object value = metrics.get(name);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** What a commit's actions add and remove, for a commit that records no metrics. */
    private record Counts(long rowsAdded, long rowsRemoved, long filesAdded, long filesRemoved, long bytesAdded) {

        static Counts of(List<Action> commit) {
            long rowsAdded = 0;
            long rowsRemoved = 0;
            long filesAdded = 0;
            long filesRemoved = 0;
            long bytesAdded = 0;
            for (Action a : commit) {
                if (a.add() != null) {
                    filesAdded++;
                    rowsAdded += FileStats.rows(a.add());
                    bytesAdded += a.add().size();
                } else if (a.remove() != null) {
                    filesRemoved++;
                    rowsRemoved += FileStats.rows(a.remove().stats());
                }
            }
            return new Counts(rowsAdded, rowsRemoved, filesAdded, filesRemoved, bytesAdded);
        }
    }
}
