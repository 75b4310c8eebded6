package io.tributary.cli;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.trigger.Ncrontab;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.definition.trigger.ZonedSchedule;
import io.tributary.settings.Settings;
import io.tributary.run.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary schedule [PIPELINE | --cron EXPR] [--after TIME] [--time-zone ZONE] [--next N] [--json]}: when a
 * schedule fires, so an expression can be checked before it is committed. Each line is one firing time, ISO-8601 on
 * the zone's wall clock with its offset, then in UTC. Without a pipeline or expression, every scheduled pipeline's
 * next firing times, one group per pipeline.
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

    /** One schedule's next firing times; {@code pipeline} is null for {@code --cron}, {@code error} set when its
     *  expression cannot be read (its setting is not set). */
    private record Firings(String pipeline, String cron, ZoneId zone, List<Instant> times, String error) {
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of("cron", "after", "next", "time-zone"));
        long count = args.number("next", 5);
        if (count > MAX_NEXT) {
            throw new UsageException("--next " + count + " is more than " + MAX_NEXT + " firing times; ask for fewer");
        }
        if (args.positionals().isEmpty() && args.option("cron").isEmpty()) {
            return everyPipeline(args, (int) count);
        }
        ZonedSchedule schedule = schedule(workspace, args, "schedule");
        Instant after = args.option("after").map(t -> TimeArgument.parse("after", t, schedule.zone()))
                .orElseGet(Instant::now);
        String pipeline = args.positionals().isEmpty() ? null : args.positionals().get(0);
        Firings firings = new Firings(pipeline, schedule.cron().toString(), schedule.zone(),
                times(schedule, after, (int) count), null);
        if (args.flag("json")) {
            printJson(after, List.of(firings));
            return 0;
        }
        out.println("Next " + count + " firing times of " + schedule + " after " + wallClock(after, schedule.zone())
                + ":");
        printTimes(firings, "", count);
        return 0;
    }

    /** Every scheduled pipeline's next {@code count} firing times, grouped per pipeline. */
    private int everyPipeline(Args args, int count) {
        if (args.option("time-zone").isPresent()) {
            throw new UsageException("--time-zone reads one schedule in another zone; name a PIPELINE or --cron EXPR "
                    + "(each pipeline's own zone is shown without it)");
        }
        Instant after = args.option("after").map(t -> TimeArgument.parse("after", t, ZoneOffset.UTC))
                .orElseGet(Instant::now);
        List<Firings> all = new ArrayList<>();
        for (PipelineDefinition pipeline : workspace.catalog().all()) {
            if (pipeline.schedule().isEmpty()) {
                continue;
            }
            ScheduleTrigger trigger = pipeline.schedule().get();
            try {
                ZonedSchedule schedule = trigger.resolve(Settings::get);
                all.add(new Firings(pipeline.name(), schedule.cron().toString(), schedule.zone(),
                        times(schedule, after, count), null));
            } catch (IllegalStateException | IllegalArgumentException e) {
                all.add(new Firings(pipeline.name(), trigger.cron(), trigger.timeZone(), List.of(), e.getMessage()));
            }
        }
        boolean unreadable = all.stream().anyMatch(f -> f.error() != null);
        if (args.flag("json")) {
            printJson(after, all);
            return unreadable ? 1 : 0;
        }
        if (all.isEmpty()) {
            out.println("No pipeline has a schedule; add \"schedule\": {\"cron\": \"0 0 2 * * *\"} to a definition in "
                    + workspace.pipelineDefs());
            return 0;
        }
        out.println("Next " + count + " firing times of each scheduled pipeline after " + after + ":");
        for (Firings firings : all) {
            out.println(firings.pipeline() + ": \"" + firings.cron() + "\" in " + firings.zone().getId());
            if (firings.error() != null) {
                out.println("  cannot be read: " + firings.error());
            } else {
                printTimes(firings, "  ", count);
            }
        }
        return unreadable ? 1 : 0;
    }

    private static List<Instant> times(ZonedSchedule schedule, Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Instant cursor = after;
        for (int i = 0; i < count; i++) {
            Optional<Instant> next = schedule.next(cursor);
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
            times.add(cursor);
        }
        return times;
    }

    private void printTimes(Firings firings, String indent, long asked) {
        for (Instant time : firings.times()) {
            out.println(indent + wallClock(time, firings.zone()) + "  " + time);
        }
        if (firings.times().size() < asked) {
            out.println(indent + "(no further firing)");
        }
    }

    /** {@code {"after": …, "schedules": [{"pipeline", "cron", "timeZone", "next": [{"at", "wallClock"}], "error"}]}}. */
    private void printJson(Instant after, List<Firings> all) {
        List<Map<String, Object>> schedules = new ArrayList<>();
        for (Firings firings : all) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("pipeline", firings.pipeline());
            entry.put("cron", firings.cron());
            entry.put("timeZone", firings.zone().getId());
            entry.put("next", firings.times().stream().map(t -> {
                Map<String, Object> time = new LinkedHashMap<>();
                time.put("at", t.toString());
                time.put("wallClock", wallClock(t, firings.zone()));
                return time;
            }).toList());
            entry.put("error", firings.error());
            schedules.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("after", after.toString());
        json.put("schedules", schedules);
        out.println(new String(Json.bytes(json), StandardCharsets.UTF_8));
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
