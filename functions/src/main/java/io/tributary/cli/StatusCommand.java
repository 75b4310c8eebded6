package io.tributary.cli;

import io.tributary.run.RunId;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code tributary status RUN_ID [--json]}. */
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
        String runId = args.single("run id");
        if (!RunId.isValid(runId)) {
            throw new UsageException("'" + runId + "' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; "
                    + "'tributary runs' lists them)");
        }
        Session session = Session.open(workspace);
        var status = session.history().status(runId).orElseThrow(() -> new IllegalArgumentException(
                "no run " + runId + " in " + session.clients().account() + "; 'tributary runs' lists the runs"));
        if (args.flag("json")) {
            StatusPrinter.json(status, out);
        } else {
            StatusPrinter.text(status, out);
        }
        return status.state().equals("failed") ? 1 : 0;
    }
}
