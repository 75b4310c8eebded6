package io.tributary.cli;

import io.tributary.run.RunId;
import io.tributary.stage.RunCancels;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code tributary cancel RUN_ID}: asks a run in flight to stop ({@link RunCancels}): its next stage fails it as
 * cancelled, and a job it waits on is cancelled on its compute at the job's next check. A run that has ended is
 * refused, saying how it ended; asking twice asks once.
 */
final class CancelCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    CancelCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of());
        String text = args.single("run id");
        if (!RunId.isValid(text)) {
            throw new UsageException("'" + text + "' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; "
                    + "'tributary runs' lists them)");
        }
        Session session = Session.open(workspace);
        RunCancels.Asked asked = new RunCancels(session.runs(), Clock.systemUTC()).cancel(RunId.parse(text),
                "the command line");
        out.println(asked.isNew() ? "Asked run " + asked.runId() + " to stop at " + asked.request().at()
                + ": its next stage fails it as cancelled, and a job it waits on is cancelled."
                : "Run " + asked.runId() + " was already asked to stop, at " + asked.request().at() + " ("
                + asked.request().by() + ").");
        out.println("Follow it with: tributary status " + asked.runId());
        return 0;
    }
}
