package io.tributary.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code tributary} command. */
public final class Main {

    private static final String USAGE = """
            usage: tributary COMMAND [ARGS]

              demo                               start Azurite and the local host, drop the sample inputs,
                                                 wait for the datasets and show them
              host [--verbose] [--http-port P] [--concurrency N]
                                                 run the local Functions host until Ctrl-C (HTTP
                                                 functions on 127.0.0.1:7071/api/ by default; at
                                                 most N invocations per queue function at once)
              validate [PATH...]                 check pipeline definitions (default: pipeline-defs/)
              drop FILE [--to landing/PATH] [--wait]
                                                 upload FILE as a file drop into the folder of the
                                                 one pipeline that takes its name (--to: this path)
              upload FILE CONTAINER/PATH         upload FILE without starting a run (reference data)
              run PIPELINE [--input FILE] [--param K=V]... [--full-refresh] [--wait]
                                                 start a run by hand: over FILE, the pipeline's
                                                 API or database, its source.blob, or the files
                                                 in its landing path not loaded yet
              runs [--pipeline P] [--status S] [--since T] [--until T] [--limit N] [--json]
                                                 list runs, newest first (default: the last 50);
                                                 S is running, committed or failed
              status RUN_ID|PIPELINE [--json]    a run's stages with row counts and timings (for a
                                                 pipeline, its newest run)
              export PIPELINE[/RUN_ID] DIR [--version N | --as-of TIME] [--force]
                                                 download a committed dataset (default: the latest)
                                                 into a new or empty DIR (--force empties it first);
                                                 of a pipeline that writes a Delta table, one version
                                                 as a Delta table of its own
              history PIPELINE [--limit N] [--before V] [--json]
                                                 the versions of a pipeline's Delta table, newest
                                                 first: run, time, rows and files added and removed
              vacuum PIPELINE [--retain 7d] [--dry-run]
                                                 delete the table's data files that no version of
                                                 the retention (default: the definition's) reads
              lineage PIPELINE[/RUN_ID] [--format text|mermaid] [--json]
                                                 where a dataset came from (sources, runs, parent
                                                 datasets) and the pipelines that consume it
              schedule [PIPELINE | --cron EXPR] [--after TIME] [--time-zone ZONE] [--next N] [--json]
                                                 the next N firing times of a schedule (default 5);
                                                 without PIPELINE or --cron, of every scheduled pipeline
              backfill PIPELINE --from T1 --to T2 [--max N] [--force] [--wait]
                                                 start one run per schedule window in (T1, T2];
                                                 --force: even if the source never reads its window
              rerun RUN_ID [--from-start] [--wait]
                                                 resume a failed run from what failed, reusing
                                                 the chunks done; --from-start: a new run over
                                                 the same source and definition, reusing nothing
              cancel RUN_ID                      stop a run in flight: its next stage fails it as
                                                 cancelled, and a job it waits on is cancelled
              stop                               stop the embedded Azurite
              bench [--size SIZE] [--runs R] [--table-versions N] [--table-rows N] [--json]
                                                 measure the engine, drop-to-commit through Azurite,
                                                 memory, latency and workers on generated data, and
                                                 a Delta table's commits, reads and merges
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), Path.of(System.getProperty("tributary.root", ".")), System.out,
                System.err));
    }

    /** Runs one command; returns its exit status (0 ok, 1 failed, 2 bad usage). */
    public static int run(List<String> args, Path root, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Workspace workspace = new Workspace(root, out);
        Map<String, Command> commands = new TreeMap<>();
        commands.put("demo", new DemoCommand(workspace, out));
        commands.put("host", new HostCommand(workspace, out));
        commands.put("validate", new ValidateCommand(workspace, out));
        commands.put("drop", new DropCommand(workspace, out));
        commands.put("upload", new UploadCommand(workspace, out));
        commands.put("run", new RunCommand(workspace, out));
        commands.put("runs", new RunsCommand(workspace, out));
        commands.put("status", new StatusCommand(workspace, out));
        commands.put("export", new ExportCommand(workspace, out));
        commands.put("history", new HistoryCommand(workspace, out));
        commands.put("vacuum", new VacuumCommand(workspace, out));
        commands.put("lineage", new LineageCommand(workspace, out));
        commands.put("schedule", new ScheduleCommand(workspace, out));
        commands.put("backfill", new BackfillCommand(workspace, out));
        commands.put("rerun", new RerunCommand(workspace, out));
        commands.put("cancel", new CancelCommand(workspace, out));
        commands.put("stop", new StopCommand(workspace, out));
        commands.put("bench", new BenchCommand(workspace, out));
        String name = args.get(0);
        Command command = commands.get(name);
        if (command == null) {
            err.println("tributary: unknown command '" + name + "'"
                    + io.tributary.definition.read.Suggestions.didYouMean(name, commands.keySet())
                    + "; commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        try {
            return command.run(args.subList(1, args.size()));
        } catch (UsageException e) {
            err.println("tributary " + name + ": " + e.getMessage());
            err.println("run 'tributary help' for usage");
            return 2;
        } catch (RuntimeException e) {
            err.println("tributary " + name + ": " + message(e));
            if (System.getenv("TRIBUTARY_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** What went wrong, in a line for people (as runs and the API say it), never a bare exception's class. */
    static String message(Throwable e) {
        String message = io.tributary.stage.Failures.describe(e);
        return message.equals(io.tributary.stage.Failures.NO_MESSAGE)
                ? "an internal error without a message (TRIBUTARY_DEBUG=1 prints its stack trace)" : message;
    }

    /** One subcommand. */
    interface Command {
        /** Runs with the arguments after the command's name; returns the exit status. */
        int run(List<String> args);
    }
}
