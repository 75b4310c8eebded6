package io.tributary.start;

import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.access.SettingAccess;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.definition.trigger.ZonedSchedule;
import io.tributary.settings.SettingReference;
import io.tributary.stage.Failures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * On each tick, starts the runs of scheduled pipelines whose schedule fell due. Per pipeline it keeps a mark, the
 * newest occurrence it dealt with ({@link ScheduleMarks}); the occurrences after the mark that are older than the
 * current tick were missed (the app was stopped, or ticks failed) and the pipeline's {@code missed} policy decides
 * what happens to them ({@link MissedWindows}); {@code catchUp} starts at most {@code maxCatchUp} of them per tick,
 * oldest first, and the following ticks go on with the rest. A pipeline seen for the first time has no backlog. The run id comes
 * from (pipeline, occurrence), so two hosts ticking at once, or a tick and a backfill, start each run once.
 */
public final class ScheduleStage {

    private final Supplier<PipelineCatalog> catalog;
    private final WindowStarter windows;
    private final ScheduleMarks marks;
    private final Function<String, Optional<String>> settings;
    private final Duration grace;
    /** The pipelines said to wait for their settings, with the settings missing then: each said once. */
    private final java.util.Map<String, List<String>> waiting = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param catalog  the current definitions, asked afresh for every tick
     * @param settings the app settings, for schedules that name one
     * @param tick     how often ticks come: an occurrence less than two ticks old is due, not missed
     */
    public ScheduleStage(Supplier<PipelineCatalog> catalog, WindowStarter windows, ScheduleMarks marks,
                         Function<String, Optional<String>> settings, Duration tick) {
        this.catalog = catalog;
        this.windows = windows;
        this.marks = marks;
        this.settings = settings;
        this.grace = tick.multipliedBy(2);
    }

    /** What a tick did: the runs it started (or found started) and what it skipped or could not do. */
    public record Tick(List<RunStarter.Started> runs, List<String> notes) {
    }

    /** Starts the runs that are due at {@code now}, per pipeline, as its missed-window policy says. */
    public Tick tick(Instant now) {
        List<RunStarter.Started> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog.get().all()) {
            if (pipeline.schedule().isPresent()) {
                try {
                    tick(pipeline, now, runs, notes);
                } catch (RuntimeException e) {
                    // One pipeline's trouble must not keep the others from starting.
                    notes.add(pipeline.name() + ": " + describe(e));
                }
            }
        }
        return new Tick(runs, notes);
    }

    /**
     * The app settings as a schedule may read them: a setting that {@link SettingAccess} refuses (by the allow-list
     * the settings hold now) fails before its value is read, so no note can show it.
     */
    private Function<String, Optional<String>> allowedSettings() {
        return DefinitionAccess.from(settings).settings().guard(settings, (name, why) -> new IllegalStateException(
                "the schedule names %" + name + "%, and " + why));
    }

    /** Tributary's own messages (a setting not set, a source missing) say it all; others need their type. */
    private static String describe(RuntimeException e) {
        return e.getClass() == IllegalStateException.class || e.getClass() == IllegalArgumentException.class
                ? e.getMessage() : Failures.describe(e);
    }

    private void tick(PipelineDefinition pipeline, Instant now, List<RunStarter.Started> runs, List<String> notes) {
        // The schedule's own setting is read, and reported, as the schedule is resolved below.
        List<String> schedules = SettingReference.names(pipeline.schedule().orElseThrow().cron());
        List<String> missing = pipeline.settingNames().stream()
                .filter(name -> !schedules.contains(name) && settings.apply(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            // A run would only fail for want of them: the schedule waits, its windows kept for when they are set.
            if (!missing.equals(waiting.put(pipeline.name(), missing))) {
                notes.add(pipeline.name() + ": waits for its setting" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " to be set (in local.settings.json, or the function app's "
                        + "settings in Azure); its schedule starts runs once " + (missing.size() == 1 ? "it is" : "they are"));
            }
            return;
        }
        waiting.remove(pipeline.name());
        ScheduleTrigger trigger = pipeline.schedule().orElseThrow();
        ZonedSchedule schedule = trigger.resolve(allowedSettings());
        Instant since = marks.read(pipeline.name()).orElse(now.minus(grace));
        MissedWindows.Plan plan = MissedWindows.plan(trigger, schedule, since, now, grace);
        plan.note().ifPresent(note -> notes.add(pipeline.name() + ": " + note));
        if (plan.advanceTo().isEmpty()) {
            return;
        }
        Instant dealtWith = plan.advanceTo().get();
        for (Instant occurrence : plan.start()) {
            try {
                runs.add(windows.start(pipeline, schedule, occurrence, "schedule"));
            } catch (RuntimeException e) {
                notes.add(pipeline.name() + ": due at " + occurrence + " but could not start: " + describe(e));
                // A run that failed to start is missed, not lost: the next tick applies the policy to it again.
                dealtWith = schedule.previous(occurrence).filter(p -> p.isAfter(since)).orElse(null);
                break;
            }
        }
        if (dealtWith != null) {
            marks.advance(pipeline.name(), dealtWith);
        }
    }
}
