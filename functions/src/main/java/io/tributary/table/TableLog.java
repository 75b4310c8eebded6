package io.tributary.table;

import io.tributary.port.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code _delta_log} of one table in blob storage: reads versions (from the newest checkpoint and the commits after
 * it) and commits the next one create-only, so that two writers can never both win a version.
 */
public final class TableLog {

    static final String LOG = "_delta_log/";
    static final String LAST_CHECKPOINT = LOG + "_last_checkpoint";

    private final BlobStore blobs;
    private final String container;
    private final String root;
    private final Checkpoints checkpoints;

    /**
     * @param root the table's folder in {@code container}, ending in '/'
     */
    public TableLog(BlobStore blobs, String container, String root, Checkpoints checkpoints) {
        if (!root.endsWith("/")) {
            throw new IllegalArgumentException("a table's root ends in '/': " + root);
        }
        this.blobs = blobs;
        this.container = container;
        this.root = root;
        this.checkpoints = checkpoints;
    }

    public String container() {
        return container;
    }

    /** The table's folder in its container, ending in '/'. */
    public String root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The commit file of {@code version}, relative to the container. */
    public String commitName(long version) {
        return root + LOG + String.format("%020d", version) + ".json";
    }

    /** The checkpoint of {@code version}, relative to the container. */
    public String checkpointName(long version) {
        return root + LOG + String.format("%020d", version) + ".checkpoint.parquet";
    }

    /** The newest version, or empty when the table has none yet. */
    public Optional<Snapshot> latest() {
        OptionalStart start = start(Long.MAX_VALUE);
        Snapshot.Replay replay = start.replay();
        long version = start.version();
        boolean any = version >= 0;
        while (true) {
            Optional<List<Action>> commit = commit(version + 1);
            if (commit.isEmpty()) {
                break;
            }
            version++;
            replay.apply(version, commit.get(), timestamp(commit.get()));
            any = true;
        }
        return any ? Optional.of(replay.snapshot()) : Optional.empty();
    }

    /**
     * Version {@code version}.
     *
     * @throws IllegalArgumentException when the table has no such version (saying which versions it has)
     */
    public Snapshot at(long version) {
        if (version < 0) {
            throw noSuchVersion(version, version);
        }
        OptionalStart start = start(version);
        Snapshot.Replay replay = start.replay();
        for (long v = start.version() + 1; v <= version; v++) {
            long at = v;
            List<Action> commit = commit(v).orElseThrow(() -> noSuchVersion(version, at));
            replay.apply(v, commit, timestamp(commit));
        }
        return replay.snapshot();
    }

    /**
     * The newest version committed at or before {@code time}.
     *
     * @throws IllegalArgumentException when the table's first version is newer
     */
    public Snapshot asOf(Instant time) {
        Snapshot latest = latest().orElseThrow(() -> new IllegalArgumentException("the table has no versions yet"));
        if (latest.timestamp() <= time.toEpochMilli()) {
            return latest;
        }
        // Commit times rise with versions: search them.
        long low = earliest();
        long high = latest.version();
        long found = -1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            long ts = commit(mid).map(TableLog::timestamp).orElse(Long.MAX_VALUE);
            if (ts <= time.toEpochMilli()) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("the table's oldest version, " + earliest() + ", was committed after "
                    + time + "; give a later time");
        }
        return at(found);
    }

    /** The oldest version whose commit file is still in the log. */
    public long earliest() {
        return versions().stream().findFirst().orElse(0L);
    }

    /** The versions whose commit files are in the log, oldest first. */
    public List<Long> versions() {
        TreeSet<Long> versions = new TreeSet<>();
        for (String name : blobs.list(container, root + LOG)) {
            String file = name.substring(root.length() + LOG.length());
            if (file.matches("\\d{20}\\.json")) {
                versions.add(Long.parseLong(file.substring(0, 20)));
            }
        }
        return new ArrayList<>(versions);
    }

    /**
     * The newest version the log names, by a commit or a checkpoint, without replaying it; empty when the table has
     * none yet.
     */
    public java.util.OptionalLong newestVersion() {
        long newest = -1;
        for (String name : blobs.list(container, root + LOG)) {
            String file = name.substring(root.length() + LOG.length());
            if (file.matches("\\d{20}\\.(json|checkpoint\\.parquet)")) {
                newest = Math.max(newest, Long.parseLong(file.substring(0, 20)));
            }
        }
        return newest < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(newest);
    }

    /** Where the table is, for messages: {@code container/root}. */
    public String where() {
        return container + "/" + root;
    }

    /** The actions of {@code version}'s commit, or empty when it has none (yet, or no longer). */
    public Optional<List<Action>> commit(long version) {
        String name = commitName(version);
        return blobs.read(container, name).map(v -> LogJson.read(v.content(), container + "/" + name));
    }

    /**
     * Commits {@code actions} as {@code version}, create-only.
     *
     * @return false, writing nothing, when another writer committed that version first
     */
    public boolean tryCommit(long version, List<Action> actions) {
        return blobs.createIfAbsent(container, commitName(version), LogJson.write(actions));
    }

    /** Writes a checkpoint of {@code snapshot}, then points {@code _last_checkpoint} at it. */
    public void checkpoint(Snapshot snapshot) {
        long rows = checkpoints.write(blobs, container, checkpointName(snapshot.version()), snapshot.actions());
        blobs.put(container, root + LAST_CHECKPOINT, LogJson.text(Map.of("version", snapshot.version(), "size", rows))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** When a commit was made, from its commitInfo's timestamp (0 when it has none). */
    static long timestamp(List<Action> commit) {
        for (Action a : commit) {
            if (a.commitInfo() != null && a.commitInfo().get("timestamp") instanceof Number n) {
                return n.longValue();
            }
        }
        return 0;
    }

    /** The newest checkpoint at or before {@code version}, replayed, or an empty start. */
    private OptionalStart start(long version) {
        Optional<Long> newest = newestCheckpoint(version);
        if (newest.isEmpty()) {
            return new OptionalStart(-1, new Snapshot.Replay());
        }
        long v = newest.get();
        List<Action> actions = checkpoints.read(blobs, container, checkpointName(v));
        // A checkpoint has no commitInfo: its time is its commit's, when that is still in the log.
        long ts = commit(v).map(TableLog::timestamp).orElse(0L);
        return new OptionalStart(v, new Snapshot.Replay().apply(v, actions, ts));
    }

    private Optional<Long> newestCheckpoint(long atMost) {
        Optional<Long> pointed = blobs.read(container, root + LAST_CHECKPOINT).map(v -> {
            try {
                return LogJson.MAPPER.readTree(v.content()).path("version").asLong(-1);
            } catch (java.io.IOException e) {
                return -1L;
            }
        }).filter(v -> v >= 0 && v <= atMost);
        if (pointed.isPresent() && blobs.properties(container, checkpointName(pointed.get())).isPresent()) {
            return pointed;
        }
        // _last_checkpoint may be missing, stale or ahead of the version asked for: the listing tells.
        Long best = null;
        for (String name : blobs.list(container, root + LOG)) {
            String file = name.substring(root.length() + LOG.length());
            if (file.matches("\\d{20}\\.checkpoint\\.parquet")) {
                long v = Long.parseLong(file.substring(0, 20));
                if (v <= atMost && (best == null || v > best)) {
                    best = v;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private IllegalArgumentException noSuchVersion(long asked, long missing) {
        List<Long> versions = versions();
        String have = versions.isEmpty() ? "none" : versions.get(0) + " to " + versions.get(versions.size() - 1);
        boolean beyond = !versions.isEmpty() && missing > versions.get(versions.size() - 1);
        return new IllegalArgumentException("the table has no version " + asked + (missing != asked && !beyond
                ? " (version " + missing + "'s commit is no longer in its log)" : "") + "; its log holds versions "
                + have);
    }

    private record OptionalStart(long version, Snapshot.Replay replay) {
    }
}
