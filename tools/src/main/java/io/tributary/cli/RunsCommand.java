package io.tributary.cli;

import io.tributary.run.RunState;
import io.tributary.run.Json;
import io.tributary.run.PrintableText;
import io.tributary.start.BrokenDefinition;
import io.tributary.port.RunIndex;
import io.tributary.history.RunJson;
import io.tributary.history.RunQueries;
import io.tributary.port.RunSummary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary runs [--pipeline P] [--status S] [--since T] [--until T] [--limit N] [--json]}: runs, newest
 * first, from the run history ({@link RunQueries}, as {@code GET /api/runs}), as a table with their state, duration
 * and row counts, or with {@code --json} as {@code GET /api/runs} answers ({@link RunJson}).
 */
final class RunsCommand implements Main.Command {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Workspace workspace;
    private final PrintStream out;

    RunsCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of("pipeline", "status", "since", "until", "limit"));
        if (!args.positionals().isEmpty()) {
            throw new UsageException("runs takes no arguments, only options; to see one run: tributary status RUN_ID");
        }
        Optional<String> pipeline = args.option("pipeline");
        Optional<RunState> state = args.option("status").map(RunsCommand::state);
        Optional<Instant> since = args.option("since").map(t -> TimeArgument.parse("since", t, ZoneOffset.UTC));
        Optional<Instant> until = args.option("until").map(t -> TimeArgument.until("until", t, ZoneOffset.UTC));
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw new UsageException("--since " + since.get() + " is after --until " + until.get());
        }
        long limit = args.number("limit", 50);
        if (limit > 1000) {
            throw new UsageException("--limit takes at most 1000");
        }
        Session session = Session.read(workspace);
        RunQueries queries = new RunQueries(session.runs());
        pipeline.ifPresent(p -> queries.requirePipeline(workspace.names(), p));
        List<RunSummary> runs = queries.runs(new RunIndex.Filter(pipeline.orElse(null),
                state.orElse(null), since.orElse(null), until.orElse(null), (int) limit));
        if (args.flag("json")) {
            out.println(new String(Json.bytes(RunJson.list(runs)), StandardCharsets.UTF_8));
            return 0;
        }
        if (runs.isEmpty()) {
            out.println(arguments.isEmpty() ? "No runs yet. Drop a file ('tributary drop FILE') or run 'tributary demo'."
                    : "No runs match.");
        } else {
            table(runs).print(out, "");
        }
        printBroken(BrokenDefinition.of(workspace.names()));
        return 0;
    }

    /** The definitions that did not load: their pipelines start no run, which the list of runs alone would hide. */
    private void printBroken(List<BrokenDefinition> broken) {
        if (broken.isEmpty()) {
            return;
        }
        out.println();
        out.println(broken.size() + (broken.size() == 1 ? " definition is" : " definitions are") + " broken and not "
                + "loaded, so " + (broken.size() == 1 ? "its pipeline starts" : "their pipelines start") + " no run "
                + "('tributary validate' lists every problem):");
        String root = workspace.root() + java.io.File.separator;
        for (BrokenDefinition definition : broken) {
            String first = definition.firstProblem();
            out.println("  " + PrintableText.escape(first.startsWith(root) ? first.substring(root.length())
                    : first));
        }
    }

    /**
     * The runs as a table for people. A run's time is the time it worked; a resumed run's wait before its rerun is
     * its own column.
     */
    static TextTable table(List<RunSummary> runs) {
        boolean resumed = runs.stream().anyMatch(r -> r.waitedMillis() != null);
        TextTable table = resumed
                ? new TextTable("run", "pipeline", "trigger", "status", "started (UTC)", ">time", ">waited for rerun",
                        ">rows in", ">rows out", ">rejected")
                : new TextTable("run", "pipeline", "trigger", "status", "started (UTC)", ">time", ">rows in",
                        ">rows out", ">rejected");
        for (RunSummary run : runs) {
            String time = run.endedAt() == null ? "" : seconds(run.workingTime());
            String waited = run.waitedMillis() == null ? "" : seconds(Duration.ofMillis(run.waitedMillis()));
            if (resumed) {
                table.add(run.runId(), run.pipeline(), run.trigger(), run.status(), STARTED.format(run.startedAt()),
                        time, waited, run.rowsIn(), run.rowsOut(), run.rowsRejected());
            } else {
                table.add(run.runId(), run.pipeline(), run.trigger(), run.status(), STARTED.format(run.startedAt()),
                        time, run.rowsIn(), run.rowsOut(), run.rowsRejected());
            }
        }
        return table;
    }

    /** The run state {@code --status} names. */
    private static RunState state(String text) {
        if (!RunState.texts().contains(text)) {
            throw new UsageException("--status takes running, committed or failed, not '" + text + "'");
        }
        return RunState.parse(text);
    }

    static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}
