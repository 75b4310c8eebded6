package io.tributary.cli;

import io.tributary.history.RunQueries;
import io.tributary.history.TableHistoryApi;
import io.tributary.run.Json;
import io.tributary.table.TableHistory;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * {@code tributary history PIPELINE [--limit N] [--before V] [--json]}: the versions of a pipeline's Delta table,
 * newest first, with the run that committed each and what it changed; {@code --json} as
 * {@code GET /api/pipelines/{pipeline}/history} answers ({@link TableHistoryApi}).
 */
final class HistoryCommand implements Main.Command {

    private static final DateTimeFormatter COMMITTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Workspace workspace;
    private final PrintStream out;

    HistoryCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of("limit", "before"));
        String pipeline = args.single("pipeline");
        long limit = args.number("limit", TableHistory.DEFAULT_LIMIT);
        if (limit > TableHistory.MAX_LIMIT) {
            throw new UsageException("--limit takes at most " + TableHistory.MAX_LIMIT);
        }
        Long before = args.option("before").map(HistoryCommand::version).orElse(null);
        Session session = Session.read(workspace);
        TableHistoryApi api = new TableHistoryApi(workspace::names, new RunQueries(session.runs()),
                session.tables(workspace.workDir().resolve("tables"))::log);
        TableHistory.Page page = api.page(pipeline, (int) limit, before);
        if (args.flag("json")) {
            out.println(Json.compact(TableHistoryApi.json(pipeline, page)));
            return 0;
        }
        if (page.entries().isEmpty()) {
            out.println("No versions before " + before + "; the table's newest is " + page.latest() + ".");
            return 0;
        }
        table(page.entries()).print(out, "");
        out.println();
        if (page.nextBefore() != null) {
            out.println("Older versions: tributary history " + pipeline + " --before " + page.nextBefore());
        }
        long newest = page.entries().get(0).version();
        out.println("Export a version as a Delta table of its own: tributary export " + pipeline + " DIR --version "
                + newest + " (or --as-of TIME)");
        return 0;
    }

    /** The versions as a table for people; a merge's inserted, updated and deleted keys only when a version merged. */
    static TextTable table(List<TableHistory.Entry> entries) {
        boolean merges = entries.stream().anyMatch(e -> e.merged() != null);
        TextTable table = merges
                ? new TextTable(">version", "committed (UTC)", "operation", "run", ">rows added", ">rows removed",
                        ">files added", ">files removed", ">inserted", ">updated", ">deleted")
                : new TextTable(">version", "committed (UTC)", "operation", "run", ">rows added", ">rows removed",
                        ">files added", ">files removed");
        for (TableHistory.Entry e : entries) {
            if (!e.inLog()) {
                table.add(Long.toString(e.version()), "", "no longer in the log");
                continue;
            }
            String operation = e.operation() == null ? "?" : e.operation()
                    + (e.mode() == null || e.mode().equals("merge") ? "" : " (" + e.mode() + ")");
            String committed = e.committedAt() == null ? "" : COMMITTED.format(e.committedAt());
            if (merges && e.merged() != null) {
                table.add(Long.toString(e.version()), committed, operation, e.runId(), e.rowsAdded(), e.rowsRemoved(),
                        e.filesAdded(), e.filesRemoved(), e.merged().inserted(), e.merged().updated(),
                        e.merged().deleted());
            } else {
                table.add(Long.toString(e.version()), committed, operation, e.runId(), e.rowsAdded(), e.rowsRemoved(),
                        e.filesAdded(), e.filesRemoved());
            }
        }
        return table;
    }

    /** A version number given on the command line. */
    static long version(String text) {
        try {
            long version = Long.parseLong(text.strip());
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("a table version is a whole number, 0 or more ('tributary history PIPELINE' lists "
                + "them); got '" + text + "'");
    }
}
