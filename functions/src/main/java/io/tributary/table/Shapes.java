package io.tributary.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every run's commit does alike: set or check the table's shape, remove files, count what it changed. */
final class Shapes {

    private Shapes() {
    }

    /**
     * The protocol and metadata actions a commit of {@code shape} needs on {@code current}: both for a new table, a
     * new metadata when an overwrite changes the shape, a newer protocol when a column needs one, else none.
     *
     * @throws TableConflictException when the shape differs and the commit does not replace the table's rows
     */
    static List<Action> change(TableShape shape, Optional<Snapshot> current, boolean replacesRows, long now) {
        List<Action> actions = new ArrayList<>();
        if (current.isEmpty()) {
            actions.add(Action.of(shape.schema().protocol()));
            actions.add(Action.of(shape.newMetadata(now)));
            return actions;
        }
        Snapshot table = current.get();
        if (shape.needsProtocol(table.protocol())) {
            actions.add(Action.of(shape.schema().protocol()));
        }
        List<String> differences = shape.differences(table.metadata());
        if (!differences.isEmpty()) {
            if (!replacesRows) {
                throw new TableConflictException(String.join("; ", differences) + " — a run in "
                        + shape.table().mode().text() + " mode keeps the table's shape; to change it, run the "
                        + "pipeline once with output.table.mode \"overwrite\", which replaces the table's rows in one "
                        + "version (earlier versions stay readable by time travel)");
            }
            actions.add(Action.of(shape.replacing(table.metadata())));
        }
        return actions;
    }

    /** The removal of {@code file} at {@code now}. */
    static Action.RemoveFile remove(Action.AddFile file, long now) {
        return new Action.RemoveFile(file.path(), now, true, true, file.partitionValues(), file.size(), file.stats());
    }

    /**
     * A run of the table's pipeline that committed to it and started at a later second than {@code run} (a run id
     * begins with its start, to the second), if any; of runs started in the same second neither is the newer.
     */
    static Optional<String> newerRun(Snapshot table, RunInfo run) {
        String started = startOf(run.runId());
        return table.txns().stream().map(t -> RunInfo.runIdOf(t.appId(), run.pipeline()))
                .filter(id -> id != null && startOf(id).compareTo(started) > 0).max(String::compareTo);
    }

    private static String startOf(String runId) {
        int dash = runId.indexOf('-');
        return dash < 0 ? runId : runId.substring(0, dash);
    }

    /** The operation metrics of a commit, as Delta writers record them (every value as text). */
    static Map<String, String> metrics(List<Action> actions) {
        long added = 0;
        long addedRows = 0;
        long addedBytes = 0;
        long removed = 0;
        long removedRows = 0;
        long removedBytes = 0;
        for (Action a : actions) {
            if (a.add() != null) {
                added++;
                addedRows += FileStats.rows(a.add());
                addedBytes += a.add().size();
            } else if (a.remove() != null) {
                removed++;
                removedRows += FileStats.rows(a.remove().stats());
                removedBytes += a.remove().size() == null ? 0 : a.remove().size();
            }
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("numFiles", Long.toString(added));
        metrics.put("numOutputRows", Long.toString(addedRows));
        metrics.put("numOutputBytes", Long.toString(addedBytes));
        metrics.put("numRemovedFiles", Long.toString(removed));
        metrics.put("numRemovedRows", Long.toString(removedRows));
        metrics.put("numRemovedBytes", Long.toString(removedBytes));
        return metrics;
    }
}
