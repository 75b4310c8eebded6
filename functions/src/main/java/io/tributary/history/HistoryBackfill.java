package io.tributary.history;

import io.tributary.port.RunIndex;
import io.tributary.run.RunId;
import io.tributary.run.RunState;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.stage.RunStore;
import java.util.Optional;

/**
 * Writes the run history of runs that have blobs but no history: those of an account that ran Tributary before it
 * kept a history. Runs when the history's tables are first created; every write is the same upsert the stages make,
 * so running it twice, or beside stages at work, changes nothing.
 */
public final class HistoryBackfill {

    private final RunStore runs;
    private final RunHistory history;

    public HistoryBackfill(RunStore runs) {
        this.runs = runs;
        this.history = new RunHistory(runs);
    }

    /** Indexes every run in {@code tributary-runs/}; returns how many. */
    public int fill() {
        int filled = 0;
        // Each run's folder, read once: its status holds its record (folders that are not runs have none).
        for (String folder : runs.blobs().folders(RunLayout.RUNS, "")) {
            if (!RunId.isValid(folder)) {
                continue;
            }
            RunId runId = RunId.parse(folder);
            Optional<RunHistory.RunStatus> status = history.status(runId);
            if (status.isEmpty()) {
                continue;
            }
            RunRecord record = status.get().record();
            runs.index().started(record);
            for (StageReport report : status.get().stages()) {
                runs.index().stage(record.runId(), report, null);
            }
            status.get().outcome().ifPresent(outcome -> runs.index().ended(record, outcome,
                    status.get().manifest().map(RunIndex.Totals::committed).orElseGet(() -> outcome.status() == RunState.FAILED
                            ? RunIndex.Totals.uncommitted(status.get().stages()) : null)));
            filled++;
        }
        return filled;
    }
}
