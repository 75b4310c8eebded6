package io.tributary.table;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table at one version: its protocol, metadata, the data files it reads, the files removed since (tombstones, kept
 * until vacuum) and the applications' transactions; replayed from a checkpoint and the commits after it.
 */
public final class Snapshot {

    private final long version;
    private final Action.Protocol protocol;
    private final Action.Metadata metadata;
    private final Map<String, Action.AddFile> files;
    private final Map<String, Action.RemoveFile> tombstones;
    private final Map<String, Action.Txn> txns;
    private final long timestamp;

    private Snapshot(long version, Action.Protocol protocol, Action.Metadata metadata, Map<String, Action.AddFile> files,
                     Map<String, Action.RemoveFile> tombstones, Map<String, Action.Txn> txns, long timestamp) {
        this.version = version;
        this.protocol = protocol;
        this.metadata = metadata;
        this.files = Collections.unmodifiableMap(files);
        this.tombstones = Collections.unmodifiableMap(tombstones);
        this.txns = Collections.unmodifiableMap(txns);
        this.timestamp = timestamp;
    }

    /** Replays commits in order onto a table's state; starts empty or from a checkpoint's state. */
    public static final class Replay {

        private long version = -1;
        private Action.Protocol protocol;
        private Action.Metadata metadata;
        private final Map<String, Action.AddFile> files = new LinkedHashMap<>();
        private final Map<String, Action.RemoveFile> tombstones = new LinkedHashMap<>();
        private final Map<String, Action.Txn> txns = new LinkedHashMap<>();
        private long timestamp;

        /** Applies the actions of version {@code version}, committed at {@code timestamp} (ms since the epoch). */
        public Replay apply(long version, List<Action> actions, long timestamp) {
            if (this.version >= 0 && version != this.version + 1) {
                throw new IllegalStateException("the table's log skips from version " + this.version + " to " + version);
            }
            for (Action a : actions) {
                if (a.protocol() != null) {
                    protocol = a.protocol();
                } else if (a.metaData() != null) {
                    metadata = a.metaData();
                } else if (a.add() != null) {
                    files.put(a.add().path(), a.add());
                    tombstones.remove(a.add().path());
                } else if (a.remove() != null) {
                    files.remove(a.remove().path());
                    tombstones.put(a.remove().path(), a.remove());
                } else if (a.txn() != null) {
                    txns.put(a.txn().appId(), a.txn());
                }
            }
            this.version = version;
            this.timestamp = timestamp;
            return this;
        }

        public Snapshot snapshot() {
            if (protocol == null || metadata == null) {
                throw new IllegalStateException("version " + version + " of the table has no "
                        + (protocol == null ? "protocol" : "metadata") + " action");
            }
            return new Snapshot(version, protocol, metadata, new LinkedHashMap<>(files), new LinkedHashMap<>(tombstones),
                    new LinkedHashMap<>(txns), timestamp);
        }
    }

    public long version() {
        return version;
    }

    public Action.Protocol protocol() {
        return protocol;
    }

    public Action.Metadata metadata() {
        return metadata;
    }

    /** The data files this version reads, by path. */
    public Map<String, Action.AddFile> files() {
        return files;
    }

    /** The files removed by this or earlier versions and not added again, by path. */
    public Map<String, Action.RemoveFile> tombstones() {
        return tombstones;
    }

    public Collection<Action.Txn> txns() {
        return txns.values();
    }

    /** The newest version of {@code appId}'s transactions committed, if any. */
    public Optional<Long> txnVersion(String appId) {
        return Optional.ofNullable(txns.get(appId)).map(Action.Txn::version);
    }

    /** When this version was committed, ms since the epoch. */
    public long timestamp() {
        return timestamp;
    }

    /** The rows this version holds, from its files' statistics. */
    public long rows() {
        return files.values().stream().mapToLong(FileStats::rows).sum();
    }

    /**
     * This version without the tombstones of files removed before {@code cutoff} (ms since the epoch): what a
     * checkpoint needs to hold once those files are past the table's retention (the Delta protocol lets a checkpoint
     * drop expired tombstones, which keeps it from growing with every file ever removed).
     */
    public Snapshot withoutTombstonesBefore(long cutoff) {
        Map<String, Action.RemoveFile> kept = new LinkedHashMap<>();
        tombstones.forEach((path, r) -> {
            if (r.deletionTimestamp() == null || r.deletionTimestamp() >= cutoff) {
                kept.put(path, r);
            }
        });
        return new Snapshot(version, protocol, metadata, new LinkedHashMap<>(files), kept, new LinkedHashMap<>(txns),
                timestamp);
    }

    /** Every action that states this version on its own: what a checkpoint holds. */
    public List<Action> actions() {
        List<Action> actions = new java.util.ArrayList<>();
        actions.add(Action.of(protocol));
        actions.add(Action.of(metadata));
        txns.values().forEach(t -> actions.add(Action.of(t)));
        files.values().forEach(f -> actions.add(Action.of(f)));
        tombstones.values().forEach(r -> actions.add(Action.of(r)));
        return actions;
    }
}
