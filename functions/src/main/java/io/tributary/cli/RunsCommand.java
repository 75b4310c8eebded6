package io.tributary.cli;

import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunRecord;
import io.tributary.stage.RunHistory.RunStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary runs [--pipeline P] [--status S] [--since T] [--until T] [--limit N] [--json]}: runs, newest
 * first, as a table with their state, duration and row counts.
 */
final class RunsCommand implements Main.Command {

    static final Set<String> STATES = Set.of("running", "committed", "failed");
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
        Optional<String> state = args.option("status");
        if (state.isPresent() && !STATES.contains(state.get())) {
            throw new UsageException("--status takes running, committed or failed, not '" + state.get() + "'");
        }
        Optional<Instant> since = args.option("since").map(t -> TimeArgument.parse("since", t, ZoneOffset.UTC));
        Optional<Instant> until = args.option("until").map(t -> TimeArgument.parse("until", t, ZoneOffset.UTC));
        long limit = args.number("limit", 50);
        Session session = Session.open(workspace);
        List<RunStatus> runs = new ArrayList<>();
        for (RunRecord record : session.history().runs()) {
            if (runs.size() >= limit) {
                break;
            }
            if (pipeline.isPresent() && !record.pipeline().equals(pipeline.get())
                    || since.isPresent() && record.startedAt().isBefore(since.get())
                    || until.isPresent() && !record.startedAt().isBefore(until.get())) {
                continue;
            }
            RunStatus status = session.history().status(record.runId()).orElseThrow();
            if (state.isEmpty() || status.state().equals(state.get())) {
                runs.add(status);
            }
        }
        if (args.flag("json")) {
            out.println(new String(Json.bytes(runs.stream().map(RunsCommand::json).toList()), StandardCharsets.UTF_8));
            return 0;
        }
        if (runs.isEmpty()) {
            out.println(arguments.isEmpty() ? "No runs yet. Drop a file ('tributary drop FILE') or run 'tributary demo'."
                    : "No runs match.");
            return 0;
        }
        table(runs).print(out, "");
        return 0;
    }

    /** The runs as a table for people. */
    static TextTable table(List<RunStatus> runs) {
        TextTable table = new TextTable("run", "pipeline", "trigger", "state", "started (UTC)", ">time", ">rows in",
                ">rows out", ">rejected");
        for (RunStatus run : runs) {
            RunRecord record = run.record();
            Optional<Manifest.Rows> rows = run.manifest().map(Manifest::rows);
            table.add(record.runId(), record.pipeline(), record.trigger(), run.state(), STARTED.format(record.startedAt()),
                    run.outcome().map(o -> seconds(Duration.between(record.startedAt(), o.at()))).orElse(""),
                    rows.map(Manifest.Rows::in).orElse(null), rows.map(Manifest.Rows::out).orElse(null),
                    rows.map(Manifest.Rows::rejected).orElse(null));
        }
        return table;
    }

    private static Map<String, Object> json(RunStatus run) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("runId", run.record().runId());
        row.put("pipeline", run.record().pipeline());
        row.put("trigger", run.record().trigger());
        row.put("state", run.state());
        row.put("startedAt", run.record().startedAt());
        row.put("endedAt", run.outcome().map(o -> o.at()).orElse(null));
        run.manifest().ifPresent(m -> row.put("rows", m.rows()));
        run.outcome().filter(o -> o.error() != null).ifPresent(o -> row.put("error", o.place() + ": " + o.error()));
        return row;
    }

    static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}
