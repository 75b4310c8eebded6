package io.tributary.testing;

import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.port.StageRow;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.RunState;
import io.tributary.run.StageReport;
import io.tributary.run.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The run history held in memory, for unit tests of the stages' rules and of the history's queries: the contract of
 * {@link RunIndex} as {@code storage/TableRunIndex} keeps it on Azure Table storage. A run's row is keyed by
 * {@link RunLayout#historyKey(RunId)}, so runs list newest first by their id's time and a time filter works to the
 * second; {@code started} replaces a run's row, {@code ended} merges into it (what it does not know stays), a
 * {@code running} stage report starts one more attempt. It can be told to fail its next writes, as a table that
 * cannot be reached does. {@code RunHistoryTablesIT} holds the same contract against Azurite.
 */
public final class InMemoryRunIndex implements RunIndex {

    private final TreeMap<String, RunSummary> runs = new TreeMap<>();
    private final Map<RunId, TreeMap<String, StageRow>> stages = new TreeMap<>();
    private int failures;

    @Override
    public synchronized void started(RunRecord record) {
        write();
        runs.put(RunLayout.historyKey(record.runId()), row(record, RunState.RUNNING, null));
    }

    @Override
    public synchronized void resumed(RunRecord record, Duration waited) {
        write();
        String key = RunLayout.historyKey(record.runId());
        long before = Optional.ofNullable(runs.get(key)).map(RunSummary::waitedMillis).orElse(0L);
        runs.put(key, row(record, RunState.RUNNING, before + Math.max(0, waited.toMillis())));
    }

    @Override
    public synchronized void ended(RunRecord record, RunOutcome outcome, Totals totals) {
        write();
        String key = RunLayout.historyKey(record.runId());
        RunSummary was = runs.get(key);
        RunSummary now = row(record, outcome.status(), was == null ? null : was.waitedMillis());
        boolean failed = outcome.status() == RunState.FAILED;
        String error = failed && outcome.error() != null ? outcome.error() : was == null ? null : was.error();
        String place = failed && outcome.stage() != null ? outcome.place() : was == null ? null : was.failedStage();
        // A merge: what this write does not know (no totals) stays as it was.
        Long rowsIn = totals != null ? Long.valueOf(totals.rowsIn()) : was == null ? null : was.rowsIn();
        Long rowsOut = totals != null ? Long.valueOf(totals.rowsOut()) : was == null ? null : was.rowsOut();
        Long rejected = totals != null ? Long.valueOf(totals.rowsRejected()) : was == null ? null : was.rowsRejected();
        Long bytes = totals != null ? Long.valueOf(totals.bytes()) : was == null ? null : was.bytes();
        runs.put(key, new RunSummary(now.runId(), now.pipeline(), now.trigger(), now.status(), now.startedAt(),
                outcome.at(), rowsIn, rowsOut, rejected, bytes, error, place, now.source(), now.definitionHash(),
                now.parameters(), now.rerunOf(), now.waitedMillis()));
    }

    @Override
    public synchronized void stage(RunId runId, StageReport report, Long bytes) {
        write();
        TreeMap<String, StageRow> rows = stages.computeIfAbsent(runId, id -> new TreeMap<>());
        String key = RunLayout.stageKey(report.stage(), report.chunk());
        int before = Optional.ofNullable(rows.get(key)).map(StageRow::attempts).orElse(0);
        // A "running" report starts an attempt; the reports that end it count none.
        int attempts = report.status() == StageStatus.RUNNING || before == 0 ? before + 1 : before;
        rows.put(key, new StageRow(report.stage(), report.chunk(), report.status(), report.startedAt(),
                report.finishedAt(), report.rowsIn(), report.rowsOut(), report.rowsRejected(), bytes, attempts,
                report.error()));
    }

    @Override
    public synchronized List<RunSummary> runs(Filter filter) {
        String from = filter.until() == null ? null : RunLayout.historyKey(filter.until());
        String to = filter.since() == null ? null : RunLayout.historyKey(filter.since()) + "~";
        List<RunSummary> found = new ArrayList<>();
        for (Map.Entry<String, RunSummary> row : runs.entrySet()) {
            RunSummary run = row.getValue();
            if ((from == null || row.getKey().compareTo(from) >= 0) && (to == null || row.getKey().compareTo(to) < 0)
                    && (filter.pipeline() == null || filter.pipeline().equals(run.pipeline()))
                    && (filter.status() == null || filter.status().equals(run.status()))
                    && found.size() < filter.limit()) {
                found.add(run);
            }
        }
        return found;
    }

    @Override
    public synchronized Optional<RunSummary> run(String pipeline, RunId runId) {
        return Optional.ofNullable(runs.get(RunLayout.historyKey(runId))).filter(r -> r.pipeline().equals(pipeline));
    }

    @Override
    public synchronized List<StageRow> stages(RunId runId) {
        return List.copyOf(stages.getOrDefault(runId, new TreeMap<>()).values());
    }

    @Override
    public synchronized int deleteBefore(Instant cutoff) {
        // Older runs have larger keys: every key past the cutoff second's prefix.
        Map<String, RunSummary> older = runs.tailMap(RunLayout.historyKey(cutoff) + "~", false);
        int removed = older.size();
        older.values().forEach(run -> stages.remove(run.runId()));
        older.clear();
        return removed;
    }

    /** Fails the next {@code count} writes, as a history table that cannot be reached does. */
    public synchronized void failNextWrites(int count) {
        failures = count;
    }

    private void write() {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("the run history cannot be reached");
        }
    }

    private static RunSummary row(RunRecord record, RunState status, Long waitedMillis) {
        return new RunSummary(record.runId(), record.pipeline(), record.trigger(), status, record.startedAt(), null,
                null, null, null, null, null, null,
                record.source() == null ? null : record.source().container() + "/" + record.source().name(),
                record.definitionHash(), record.parameters(), record.rerunOf(), waitedMillis);
    }
}
