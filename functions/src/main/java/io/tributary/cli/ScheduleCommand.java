package io.tributary.cli;

import io.tributary.definition.Ncrontab;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.ScheduleTrigger;
import io.tributary.definition.ZonedSchedule;
import io.tributary.settings.Settings;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary schedule [PIPELINE | --cron EXPR] [--after TIME] [--time-zone ZONE] [--next N]}: when a schedule
 * fires, so an expression can be checked before it is committed. Each line is one firing time, ISO-8601 on the
 * zone's wall clock with its offset, then in UTC.
 */
final class ScheduleCommand implements Main.Command {

    static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final long MAX_NEXT = 10_000;

    private final Workspace workspace;
    private final PrintStream out;

    ScheduleCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of("cron", "after", "next", "time-zone"));
        ZonedSchedule schedule = schedule(workspace, args, "schedule");
        long count = args.number("next", 5);
        if (count > MAX_NEXT) {
            throw new UsageException("--next " + count + " is more than " + MAX_NEXT + " firing times; ask for fewer");
        }
        Instant cursor = args.option("after").map(t -> TimeArgument.parse("after", t, schedule.zone()))
                .orElseGet(Instant::now);
        out.println("Next " + count + " firing times of " + schedule + " after " + wallClock(cursor, schedule.zone())
                + ":");
        for (long i = 0; i < count; i++) {
            Optional<Instant> next = schedule.next(cursor);
            if (next.isEmpty()) {
                out.println("(no further firing)");
                break;
            }
            cursor = next.get();
            out.println(wallClock(cursor, schedule.zone()) + "  " + cursor);
        }
        return 0;
    }

    static String wallClock(Instant instant, ZoneId zone) {
        return WALL_CLOCK.format(instant.atZone(zone));
    }

    /**
     * The schedule the arguments name: a pipeline's (its {@code %SETTING%} resolved from local.settings.json Values
     * or the environment), or {@code --cron EXPR}; {@code --time-zone} overrides the zone.
     */
    static ZonedSchedule schedule(Workspace workspace, Args args, String command) {
        Optional<String> cron = args.option("cron");
        if (cron.isPresent() && !args.positionals().isEmpty()) {
            throw new UsageException("give a PIPELINE or --cron EXPR, not both");
        }
        if (cron.isPresent()) {
            ZoneId zone = TimeArgument.zone(args, "time-zone", ScheduleTrigger.DEFAULT_TIME_ZONE);
            try {
                return new ZonedSchedule(Ncrontab.parse(cron.get()), zone);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--cron " + e.getMessage());
            }
        }
        if (args.positionals().isEmpty()) {
            throw new UsageException("expected a pipeline or --cron EXPR, e.g. tributary " + command
                    + " --cron \"0 0 6 * * *\"");
        }
        return schedule(workspace.catalog().get(args.single("pipeline")), args);
    }

    /**
     * The pipeline's schedule, its {@code %SETTING%} resolved from local.settings.json Values or the environment;
     * {@code --time-zone} overrides the zone.
     */
    static ZonedSchedule schedule(PipelineDefinition pipeline, Args args) {
        ScheduleTrigger trigger = pipeline.schedule().orElseThrow(() -> new IllegalArgumentException("pipeline '"
                + pipeline.name() + "' has no schedule; add \"schedule\": {\"cron\": \"0 0 2 * * *\"}"));
        ZonedSchedule resolved;
        try {
            resolved = trigger.resolve(Settings::get);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("pipeline '" + pipeline.name() + "': " + e.getMessage(), e);
        }
        return new ZonedSchedule(resolved.cron(), TimeArgument.zone(args, "time-zone", resolved.zone()));
    }
}
