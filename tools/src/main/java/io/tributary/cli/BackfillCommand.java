package io.tributary.cli;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.trigger.ZonedSchedule;
import io.tributary.start.RunStarter;
import io.tributary.start.ScheduleWindow;
import io.tributary.start.WindowStarter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code tributary backfill PIPELINE --from T1 --to T2 [--max N] [--wait]}: starts one run per occurrence of the
 * pipeline's schedule in {@code (T1, T2]}, each with its window as parameters and the run id a scheduled firing of
 * that occurrence has: asking twice, or backfilling what the schedule already ran, starts nothing new. The
 * pipeline's concurrency limit paces the runs.
 */
final class BackfillCommand implements Main.Command {

    /** The most windows one backfill starts without {@code --max}. */
    static final int DEFAULT_MAX = 100;

    private final Workspace workspace;
    private final PrintStream out;

    BackfillCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    /**
     * Refuses to backfill a pipeline whose source never refers to its window: every run would read the same thing
     * (or, incrementally, the first would read everything new and the rest nothing) and commit it as that window's.
     */
    static void requireWindowed(PipelineDefinition pipeline, int windows) {
        java.util.SortedSet<String> used = pipeline.parameterNames();
        if (used.contains(ScheduleWindow.START) || used.contains(ScheduleWindow.END)) {
            return;
        }
        String source = pipeline.fetched().map(f -> f.kind().equals("rest") ? "its REST url and headers"
                : "its SQL query").orElse(pipeline.sourceBlob().map(b -> "the blob " + b).orElse("its source"));
        String effect = windows == 1 ? "its run would read what the source holds now, not that window's data"
                : pipeline.incremental().isPresent()
                ? "it loads incrementally, so the first run would read everything after the high-water mark and the "
                + "other " + (windows - 1) + " nothing"
                : "each of the " + windows + " windows would read the same data and commit it again as a dataset of "
                + "its own";
        throw new UsageException("pipeline '" + pipeline.name() + "' never uses {" + ScheduleWindow.START + "} or {"
                + ScheduleWindow.END + "} in " + source + ": " + effect + ". Refer to the window in the source (a REST "
                + "url as {windowStart}, a SQL query as :windowStart), or add --force to start the runs anyway");
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("wait", "force"), Set.of("from", "to", "max", "timeout"));
        PipelineDefinition pipeline = workspace.catalog().get(args.single("pipeline"));
        ZonedSchedule schedule = ScheduleCommand.schedule(pipeline, args);
        Instant from = TimeArgument.parse("from", args.option("from").orElseThrow(() ->
                new UsageException("--from TIME is required: the backfill starts the windows after it")), schedule.zone());
        Instant to = TimeArgument.parse("to", args.option("to").orElseThrow(() ->
                new UsageException("--to TIME is required: the backfill starts the windows up to it")), schedule.zone());
        if (!to.isAfter(from)) {
            throw new UsageException("--to " + to + " is not after --from " + from);
        }
        int max = (int) Math.min(Integer.MAX_VALUE, args.number("max", DEFAULT_MAX));
        Duration timeout = args.seconds("timeout", 3600);
        List<Instant> occurrences;
        try {
            occurrences = schedule.allIn(from, to, max);
        } catch (IllegalArgumentException e) {
            throw new UsageException(pipeline.name() + "'s schedule " + schedule + " fires more than " + max
                    + " times in (" + from + ", " + to + "]; narrow the range, or allow more with --max N");
        }
        if (occurrences.isEmpty()) {
            out.println("The schedule " + schedule + " of " + pipeline.name() + " does not fire in (" + from + ", " + to
                    + "]; nothing to start.");
            return 0;
        }
        if (!args.flag("force")) {
            requireWindowed(pipeline, occurrences.size());
        }
        Session session = Session.open(workspace);
        WindowStarter windows = new WindowStarter(session.starter(), session.blobs());
        List<RunId> runIds = new ArrayList<>();
        int fresh = 0;
        for (Instant occurrence : occurrences) {
            RunStarter.Started started = windows.start(pipeline, schedule, occurrence, "backfill");
            ScheduleWindow window = WindowStarter.windowOf(schedule, occurrence);
            out.println((started.isNew() ? "started  " : "existing ") + started.runId() + "  " + window.start() + " .. "
                    + window.end());
            runIds.add(started.runId());
            fresh += started.isNew() ? 1 : 0;
        }
        out.println("Backfill of " + pipeline.name() + ": " + occurrences.size() + " windows, " + fresh + " runs started, "
                + (occurrences.size() - fresh) + " already there; concurrency " + pipeline.concurrency() + ".");
        if (!args.flag("wait")) {
            out.println("A running host ('tributary host') carries them out; 'tributary runs' follows them.");
            return 0;
        }
        boolean allCommitted = true;
        for (RunId runId : runIds) {
            out.println("run " + runId + ":");
            allCommitted &= RunWaiter.follow(session, runId, timeout, out, Set.of());
        }
        return allCommitted ? 0 : 1;
    }
}
