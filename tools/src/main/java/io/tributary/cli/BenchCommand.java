package io.tributary.cli;

import io.tributary.bench.Bench;
import io.tributary.bench.BenchResult;
import io.tributary.bench.BenchSize;
import io.tributary.bench.DataGenerator;
import io.tributary.bench.TableSizes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * {@code tributary bench [--size SIZE] [--runs R] [--table-versions N] [--table-rows N] [--json]}: generates device
 * telemetry and CRM contacts with dirty rows and measures, in one run, the engine against hand-written DuckDB,
 * drop-to-commit through Azurite against a raw copy, the host's peak heap and RSS, small-file latency, one worker
 * against two, a Delta table's append commits and reads at N versions, and merges by key into a table of N rows (see
 * {@link io.tributary.bench.Bench}). Prints figures, ratios and verdicts; with {@code --json} the last line is the
 * figures as one JSON object. Fails on no target.
 */
final class BenchCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    BenchCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of("size", "runs", "table-versions", "table-rows"));
        BenchSize size;
        TableSizes tables;
        try {
            size = args.option("size").map(BenchSize::parse).orElse(BenchSize.DEFAULT);
            tables = new TableSizes((int) Math.min(args.number("table-versions", TableSizes.DEFAULT.versions()),
                    Integer.MAX_VALUE), args.number("table-rows", TableSizes.DEFAULT.rows()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int runs = (int) Math.min(args.number("runs", 2), 20);
        Bench.Options options = new Bench.Options(size, runs, DataGenerator.DEFAULT_DIRTY_SHARE, workspace.root(),
                workspace.stateDir().resolve("bench"), System.getProperty("java.class.path"), Main.class.getName(),
                Bench.SMALL_FILES,
                workspace.stateDir().resolve("bench-logs"), tables);
        try {
            BenchResult result = new Bench(options, out).run();
            if (args.flag("json")) {
                out.println(result.toJson());
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
