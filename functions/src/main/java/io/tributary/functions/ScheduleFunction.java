package io.tributary.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.run.Json;
import io.tributary.stage.ScheduleStage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Ticks on {@code %TRIBUTARY_SCHEDULE_TICK%} (NCRONTAB, e.g. every minute) and starts the runs of the
 * pipelines whose own schedule fell due since the previous tick.
 */
public class ScheduleFunction {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /**
     * How far before the previous tick a tick looks again. A failed tick is not retried by the host;
     * the ticks after it still start its runs. Looking twice is harmless: a run id names its occurrence.
     */
    static final Duration LOOKBACK = Duration.ofMinutes(10);

    @FunctionName("schedule")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%TRIBUTARY_SCHEDULE_TICK%") String timerInfo,
            ExecutionContext context) {
        Instant now = Instant.now();
        ScheduleStage.Tick tick = FunctionApp.get().schedule().fire(windowStart(timerInfo, now), now);
        tick.runs().forEach(r -> context.getLogger().info((r.isNew() ? "started run " : "already started: run ")
                + r.pipeline() + "/" + r.runId()));
        tick.notes().forEach(context.getLogger()::warning);
    }

    /**
     * {@link #LOOKBACK} before the previous tick, as the host's timer status reports it (else one
     * default window ago), and never more than a day back.
     */
    static Instant windowStart(String timerInfo, Instant now) {
        Instant previous = now.minus(DEFAULT_WINDOW);
        try {
            JsonNode last = Json.MAPPER.readTree(timerInfo).path("ScheduleStatus").path("Last");
            if (last.isTextual()) {
                previous = OffsetDateTime.parse(last.asText()).toInstant();
            }
        } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
            // An unreadable status is not worth failing the tick for: fall back to the default window.
        }
        Instant start = previous.minus(LOOKBACK);
        Instant floor = now.minus(Duration.ofDays(1));
        return start.isBefore(floor) ? floor : start;
    }
}
