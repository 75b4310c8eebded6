package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.history.HistoryRetention;

/**
 * Daily at 03:17 UTC, deletes the run history rows (runs and their stages) older than
 * {@code TRIBUTARY_HISTORY_RETENTION_DAYS} (default 90). Run blobs and datasets stay.
 */
public class HistoryRetentionFunction {

    private final HistoryRetention retention;

    HistoryRetentionFunction(HistoryRetention retention) {
        this.retention = retention;
    }

    @FunctionName("historyRetention")
    public void run(
            @TimerTrigger(name = "timer", schedule = "0 17 3 * * *") String timerInfo,
            ExecutionContext context) {
        HistoryRetention.Swept swept = retention.sweep();
        context.getLogger().info("run history: removed " + swept.runs() + " runs older than " + swept.cutoff());
    }
}
