package io.tributary.cli;

import io.tributary.run.RunState;
import io.tributary.definition.PipelineName;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.history.RunJson;
import io.tributary.history.RunQueries;
import io.tributary.port.RunSummary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code tributary status RUN_ID|PIPELINE [--json]}: a run's stages, outcome and dataset (for a pipeline, its newest
 * run); {@code --json} as {@code GET /api/runs/{runId}} answers ({@link RunJson}).
 */
final class StatusCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    StatusCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of());
        String target = args.single("run id or pipeline");
        boolean isRunId = RunId.isValid(target);
        if (!isRunId && !PipelineName.isValid(target)) {
            throw new UsageException("'" + target + "' is neither a run id (they look like 20261122T054000Z-3fa9c1d20b; "
                    + "'tributary runs' lists them) nor a pipeline name");
        }
        Session session = Session.read(workspace);
        RunQueries queries = new RunQueries(session.runs());
        RunId runId;
        if (isRunId) {
            runId = RunId.parse(target);
        } else {
            queries.requirePipeline(workspace.names(), target);
            runId = queries.latest(target).map(RunSummary::runId).orElseThrow(() -> new IllegalArgumentException(
                    "pipeline '" + target + "' has no runs yet; start one with 'tributary run " + target + "'"));
        }
        RunId id = runId;
        if (args.flag("json")) {
            RunQueries.RunDetail detail = queries.run(id).orElseThrow(() -> noSuchRun(session, id));
            out.println(new String(Json.bytes(RunJson.detail(detail)), StandardCharsets.UTF_8));
            return detail.run().status() == RunState.FAILED ? 1 : 0;
        }
        var status = session.history().status(id).orElseThrow(() -> noSuchRun(session, id));
        StatusPrinter.text(status, out);
        return status.state() == RunState.FAILED ? 1 : 0;
    }

    private static IllegalArgumentException noSuchRun(Session session, RunId runId) {
        return new IllegalArgumentException("no run " + runId + " in " + session.clients().account()
                + "; 'tributary runs' lists the runs");
    }
}
