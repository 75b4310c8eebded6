package io.tributary.cli;

import io.tributary.run.Rerun;
import io.tributary.run.RunId;
import io.tributary.run.Stage;
import io.tributary.start.Reruns;
import io.tributary.storage.AzureStageQueue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code tributary rerun RUN_ID [--from-start] [--wait]}: resumes a failed run from what failed, reusing every chunk
 * already done, or starts it over as a new run over the same pinned source and definition ({@link Reruns}). A
 * committed run or one still in flight is refused; asking twice starts one rerun.
 */
final class RerunCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    RerunCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("wait", "from-start"), Set.of("timeout"));
        String text = args.single("run id");
        if (!RunId.isValid(text)) {
            throw new UsageException("'" + text + "' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; "
                    + "'tributary runs' lists them)");
        }
        RunId runId = RunId.parse(text);
        Duration timeout = args.seconds("timeout", 600);
        Session session = Session.open(workspace);
        Reruns reruns = session.reruns();
        // A resumed run keeps its stage reports of the failed attempt: --wait shows only what happens now.
        var seen = RunWaiter.seen(session, runId);
        Reruns.Started started = args.flag("from-start") ? reruns.fromStart(runId) : reruns.resume(runId);
        out.println(describe(runId, started));
        if (!args.flag("wait")) {
            out.println("A running host ('tributary host') carries it out; follow with: tributary status "
                    + started.runId());
            return 0;
        }
        return RunWaiter.follow(session, started.runId(), timeout, out,
                started.runId().equals(runId) ? seen : java.util.Set.of()) ? 0 : 1;
    }

    static String describe(RunId runId, Reruns.Started started) {
        var failed = started.failed();
        String cause = "it failed in " + failed.place()
                + (failed.error() == null ? "" : ": " + failed.error());
        if (started.kind().equals(Rerun.FROM_START)) {
            return started.isNew()
                    ? "Started run " + started.runId() + " from the start, over the source and definition of run " + runId
                    + ", reusing nothing (" + cause + ")"
                    : "Run " + runId + " was already rerun from the start as " + started.runId() + "; nothing started";
        }
        String from = switch (started.from()) {
            case TRANSFORM -> "transform chunk" + (started.chunks().size() == 1 ? " " : "s ")
                    + started.chunks().stream().map(String::valueOf).collect(Collectors.joining(", "));
            case COMBINE -> "combine key bucket" + (started.chunks().size() == 1 ? " " : "s ")
                    + started.chunks().stream().map(String::valueOf).collect(Collectors.joining(", "));
            default -> started.from().text();
        };
        String pieces = started.from() == Stage.COMBINE ? " key buckets done" : " chunks done";
        String done = started.total() == 0 ? "no chunks planned yet"
                : started.done() + " of " + started.total() + pieces;
        return "Resuming run " + runId + " from " + from + "; " + done + " (" + cause + ")";
    }
}
