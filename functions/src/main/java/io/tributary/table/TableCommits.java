package io.tributary.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Commits one change to a table exactly once, by optimistic concurrency: the change is planned on the newest version,
 * committed create-only as the next one, and planned again on the newer version when another writer got there first.
 * Each commit carries a transaction action ({@code txn}) naming the change, so a change already committed, by an
 * attempt that died before saying so or by a duplicate that won the race, is found and never committed twice.
 */
public final class TableCommits {

    /** How many lost races a commit retries before it gives up (each loss means another commit got in). */
    static final int MAX_ATTEMPTS = 50;

    private final LongSupplier clock;

    /** @param clock ms since the epoch, for the commits' timestamps */
    public TableCommits(LongSupplier clock) {
        this.clock = clock;
    }

    /** What a change adds and removes, planned on the version it will follow (empty for a table with none yet). */
    public interface Change {

        /**
         * The actions of the commit (protocol and metadata where they change, add, remove), planned on
         * {@code current}.
         *
         * @throws TableConflictException when the change cannot be made on {@code current}
         */
        List<Action> plan(Optional<Snapshot> current);

        /** The commitInfo's fields besides its timestamp: operation, parameters, metrics, the run. */
        Map<String, Object> commitInfo(List<Action> planned);
    }

    /**
     * The committed version that holds change {@code appId}.
     *
     * @param already whether an earlier attempt had committed it
     */
    public record Committed(long version, boolean already, List<Action> actions) {
    }

    /**
     * Commits {@code change} as transaction {@code appId} unless the table already holds it.
     *
     * @throws TableConflictException on a real conflict, or when the table kept changing under it
     */
    public Committed commit(TableLog log, String appId, Change change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Snapshot> current = log.latest();
            Optional<Committed> done = already(log, current, appId);
            if (done.isPresent()) {
                return done.get();
            }
            long version = current.map(s -> s.version() + 1).orElse(0L);
            List<Action> planned;
            try {
                planned = change.plan(current);
            } catch (RuntimeException e) {
                // A duplicate may have committed the change meanwhile, then tidied away what planning reads (a
                // merge's staged parts): the change is done, not failed.
                return already(log, log.latest(), appId).orElseThrow(() -> e);
            }
            long now = clock.getAsLong();
            List<Action> actions = new ArrayList<>();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("timestamp", now);
            info.putAll(change.commitInfo(planned));
            actions.add(Action.commitInfo(info));
            planned.stream().filter(a -> a.protocol() != null || a.metaData() != null).forEach(actions::add);
            // The transaction's version is the table version it commits: the run's version, found again by its id.
            actions.add(Action.of(new Action.Txn(appId, version, now)));
            planned.stream().filter(a -> a.protocol() == null && a.metaData() == null).forEach(actions::add);
            if (log.tryCommit(version, actions)) {
                return new Committed(version, false, actions);
            }
        }
        throw new TableConflictException("the table at " + log.container() + "/" + log.root() + " gained "
                + MAX_ATTEMPTS + " versions while this commit was being planned; it was not committed (the run can "
                + "be retried)");
    }

    /** The version of {@code table} that holds change {@code appId}, if any. */
    private static Optional<Committed> already(TableLog log, Optional<Snapshot> table, String appId) {
        return table.flatMap(s -> s.txnVersion(appId))
                .map(version -> new Committed(version, true, log.commit(version).orElse(List.of())));
    }
}
