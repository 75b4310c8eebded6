package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.run.LogContext;
import io.tributary.run.Stage;
import io.tributary.start.RunStarter;
import io.tributary.start.ScheduleStage;
import java.time.Clock;
import java.time.Instant;

/**
 * Ticks on {@code %TRIBUTARY_SCHEDULE_TICK%} (NCRONTAB, e.g. every minute) and starts the runs of the pipelines
 * whose own schedule fell due; the stage keeps, per pipeline, what it already dealt with, so a failed or missed tick
 * loses nothing that the pipeline's missed-window policy keeps.
 */
public class ScheduleFunction {

    private final ScheduleStage schedule;
    private final Clock clock;

    ScheduleFunction(ScheduleStage schedule, Clock clock) {
        this.schedule = schedule;
        this.clock = clock;
    }

    @FunctionName("schedule")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%TRIBUTARY_SCHEDULE_TICK%") String timerInfo,
            ExecutionContext context) {
        ScheduleStage.Tick tick = schedule.tick(clock.instant());
        for (RunStarter.Started r : tick.runs()) {
            try (LogContext.Scope scope = LogContext.open(r.runId(), r.pipeline(), Stage.SCHEDULE, -1)) {
                context.getLogger().info(LogContext.tag((r.isNew() ? "started run " : "already started: run ")
                        + r.pipeline() + "/" + r.runId()));
            }
        }
        tick.notes().forEach(note -> context.getLogger().warning(LogContext.tag(note)));
    }
}
