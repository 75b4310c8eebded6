package io.tributary.cli;

import io.tributary.definition.output.RetentionText;
import io.tributary.definition.output.TableOutput;
import io.tributary.history.RunQueries;
import io.tributary.stage.RunStore;
import io.tributary.table.TableLog;
import io.tributary.table.TableVacuum;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary vacuum PIPELINE [--retain 7d] [--dry-run]}: deletes the data files of the pipeline's Delta table
 * that no retained version reads ({@link TableVacuum}), as the daily {@code tableVacuum} function does; the retention
 * is the definition's {@code output.table.retention} unless {@code --retain} gives another.
 */
final class VacuumCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    VacuumCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("dry-run"), Set.of("retain"));
        String pipeline = args.single("pipeline");
        Optional<Duration> retain = args.option("retain").map(VacuumCommand::retention);
        Session session = Session.read(workspace);
        new RunQueries(session.runs()).requirePipeline(workspace.names(), pipeline);
        Optional<TableOutput> table = workspace.names().find(pipeline).flatMap(d -> d.output().tableOutput());
        TableLog log = session.tables(workspace.workDir().resolve("tables")).log(pipeline);
        if (log.newestVersion().isEmpty() && table.isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + pipeline + "' writes no Delta table (its definition "
                    + "has no output.table); there is nothing to vacuum");
        }
        Duration retention = retain.orElse(table.map(TableOutput::retention).orElse(TableOutput.DEFAULT_RETENTION));
        RunStore runs = session.runs();
        TableVacuum.Vacuumed done = new TableVacuum(log, runId -> runs.outcome(runId).isPresent(), Clock.systemUTC())
                .vacuum(retention, args.flag("dry-run"));
        out.println((done.dryRun() ? "Would delete " : "Deleted ") + TextTable.count(done.deleted().size(), "file") + ", "
                + CopyProgress.size(done.bytes()) + ", from table " + done.table() + " (retention "
                + RetentionText.text(retention) + (retain.isPresent() ? ", --retain" : table.isPresent()
                ? ", output.table.retention" : ", the default") + "): " + done.count(TableVacuum.Reason.REMOVED)
                + " removed by versions before " + done.cutoff() + ", " + done.count(TableVacuum.Reason.UNCOMMITTED)
                + " left before then by runs that did not commit them.");
        if (done.kept() > 0) {
            out.println("Kept " + TextTable.count(done.kept(), "file") + " no version reads yet: removed or written within the "
                    + "retention, or of runs still running.");
        }
        if (done.dryRun()) {
            done.deleted().forEach(d -> out.println("  " + d.path() + "  (" + d.bytes() + " bytes, "
                    + (d.reason() == TableVacuum.Reason.REMOVED ? "removed" : "never committed") + ")"));
            if (!done.deleted().isEmpty()) {
                out.println("Nothing was deleted; run without --dry-run to delete them.");
            }
        }
        return 0;
    }

    /** The retention {@code --retain} gives. */
    private static Duration retention(String text) {
        Duration retention = RetentionText.parse(text).orElseThrow(() -> new UsageException("--retain '" + text
                + "' is not a duration; write " + RetentionText.FORM));
        if (retention.compareTo(RetentionText.MINIMUM) < 0) {
            throw new UsageException("--retain " + text + " could delete a file a reader is still reading; give at "
                    + "least 1h");
        }
        return retention;
    }
}
