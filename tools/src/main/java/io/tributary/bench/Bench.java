package io.tributary.bench;

import io.tributary.engine.EngineLimits;
import io.tributary.local.Azurite;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tributary bench}: generates the data, runs (a) the engine against hand-written DuckDB, then starts an
 * Azurite of its own and the host in a JVM of its own for (b) drop-to-commit against a raw copy, (c) the host's
 * peak heap and RSS, (d) small-file latency and (e) one worker against two; then, in this process on the same
 * Azurite, (f) a Delta table's append commits and reads at many versions and (g) merges by key into a large table;
 * prints each section and the verdicts.
 */
public final class Bench {

    /** Small files for (d). */
    public static final int SMALL_FILES = 50;

    /**
     * @param size       the data for each throughput figure
     * @param runs       engine runs per pipeline for (a), the best counts
     * @param dirtyShare the share of dirty rows
     * @param root       the project root
     * @param dir        the bench's scratch folder (deleted first and after)
     * @param classPath  the app's class path, for the host's JVM
     * @param smallFiles the small files (d) drops ({@link #SMALL_FILES} but in tests)
     * @param logs       where the hosts' logs are kept ({@code host-N.log}), replaced on each run
     * @param tables     the sizes of the tables (f) and (g) measure
     */
    public record Options(BenchSize size, int runs, double dirtyShare, Path root, Path dir, String classPath,
                          String hostMain, int smallFiles, Path logs, TableSizes tables) {
    }

    private final Options options;
    private final PrintStream out;
    private final Progress progress;

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.progress = new Progress(out);
    }

    public BenchResult run() throws IOException {
        Path dir = options.dir();
        Trees.delete(dir);
        Trees.delete(options.logs());
        Files.createDirectories(dir.resolve("data"));
        EngineLimits limits = EngineLimits.DEFAULT;
        out.println("Machine: " + Machine.describe());
        out.println("Load average (1, 5, 15 min) at the start: " + Machine.load()
                + " — other work on the machine lowers every figure");
        out.printf("Size: %s per throughput figure; engine limits: %s memory, %d thread(s) per invocation; host JVM %s%n",
                options.size(), limits.memoryLimit(), limits.threads(), HostProcess.MAX_HEAP);
        out.printf("Tables: %,d versions for (f), %,d rows for (g)%n", options.tables().versions(),
                options.tables().rows());
        try {
            progress.say("Generating data…");
            BenchData data = BenchData.generate(options.size(), options.smallFiles(), options.dirtyShare(),
                    dir.resolve("data"), progress);
            out.println();
            data.describe(out);
            out.println();
            Throughputs engine = engine(data, limits);

            out.println();
            progress.say("Starting an Azurite of the bench's own…");
            try (Azurite azurite = Azurite.startOwned(options.root(), Files.createDirectories(dir.resolve("azurite")))) {
                writeDefinitions(dir.resolve("pipeline-defs"));
                Landing landing = new Landing(azurite.connectionString());
                WorkersSection workers = new WorkersSection(landing, progress);
                workers.stage(data.quarters());
                Hosts hosts = new Hosts(azurite.connectionString(), landing, data.warmUp());
                // Files go one at a time; a file's chunks are transformed side by side, one per core.
                int cores = Runtime.getRuntime().availableProcessors();
                OneByOne oneByOne = hosts.with(cores, "(b) and (d)", () -> {
                    progress.say("(b) Drop to commit through Azurite, one file at a time, against a raw copy");
                    EndToEndSection.Figures figures = new EndToEndSection(landing, progress).run(data.large());
                    out.printf("  drop to commit %.2f s for %.1f MB: %.1f MB/s; download + upload of the same bytes "
                            + "%.2f s: %.1f MB/s; ratio %.2f%n", figures.e2eSeconds(), figures.bytes() / 1e6,
                            figures.bytes() / 1e6 / figures.e2eSeconds(), figures.copySeconds(),
                            figures.bytes() / 1e6 / figures.copySeconds(), figures.copySeconds() / figures.e2eSeconds());
                    progress.say("(d) Drop-to-commit latency over " + options.smallFiles() + " small files, one at a time");
                    Percentiles millis = new Percentiles(new LatencySection(landing, progress).run(data.small()));
                    out.printf("  p50 %.0f ms, p95 %.0f ms (min %.0f ms, max %.0f ms)%n", millis.at(50), millis.at(95),
                            millis.min(), millis.max());
                    return new OneByOne(figures, millis);
                });
                EndToEndSection.Figures e2e = oneByOne.e2e();
                Percentiles latency = oneByOne.latency();
                WorkersSection.Figures one = hosts.with(1, "(e)", () -> {
                    progress.say("(e) " + BenchData.WORKER_FILES + " files dropped at once, 1 worker");
                    return workers.run(data.quarters(), "workers1");
                });
                out.printf("  1 worker:  %.1f MB in %.2f s: %.1f MB/s%n", one.bytes() / 1e6, one.seconds(),
                        one.megabytesPerSecond());
                WorkersSection.Figures two = hosts.with(2, "(e)", () -> {
                    progress.say("(e) " + BenchData.WORKER_FILES + " files dropped at once, 2 workers");
                    return workers.run(data.quarters(), "workers2");
                });
                out.printf("  2 workers: %.1f MB in %.2f s: %.1f MB/s; %.2f × 1 worker%n", two.bytes() / 1e6,
                        two.seconds(), two.megabytesPerSecond(), two.megabytesPerSecond() / one.megabytesPerSecond());
                out.printf("(c) The host's peaks over all of the above: heap %.0f MiB (of %s), RSS %.0f MiB%n",
                        mib(hosts.peakHeap()), HostProcess.MAX_HEAP, mib(hosts.peakRss()));
                out.println();
                TableFigures table = new TableSection(azurite.connectionString(), options.tables(),
                        dir.resolve("tables"), progress, out).run();
                BenchResult result = new BenchResult(engine.engineMbS(), engine.duckdbMbS(), e2e.bytes() / 1e6 / e2e.e2eSeconds(),
                        e2e.bytes() / 1e6 / e2e.copySeconds(), mib(hosts.peakHeap()), mib(hosts.peakRss()),
                        latency.at(50), latency.at(95), one.megabytesPerSecond(), two.megabytesPerSecond(), table);
                out.println();
                out.println("Targets");
                Targets.of(result).forEach(v -> out.println(v.line()));
                out.println("Load average (1, 5, 15 min) at the end: " + Machine.load());
                out.println("The hosts' output is in " + options.logs() + "/.");
                return result;
            }
        } finally {
            Trees.delete(dir);
        }
    }

    /** (a), printed: returns the engine's and the hand-written statement's throughput over both files. */
    private Throughputs engine(BenchData data, EngineLimits limits) throws IOException {
        progress.say("(a) The engine against one hand-written DuckDB statement, on local files (best of "
                + options.runs() + ")");
        EngineSection section = new EngineSection(limits, options.runs(), progress);
        section.warmUp(data.warmUp().subList(0, 2), options.dir().resolve("engine"));
        long bytes = 0;
        double engineSeconds = 0;
        double duckdbSeconds = 0;
        for (EngineSection.Figures f : section.run(data.large(), options.dir().resolve("engine"))) {
            out.printf("  %-10s engine %6.2f s %7.1f MB/s (%,d rows out)   hand-written DuckDB %6.2f s %7.1f MB/s "
                    + "(%,d rows out)%n", f.pipeline().label(), f.engineSeconds(), f.bytes() / 1e6 / f.engineSeconds(),
                    f.engineRows(), f.duckdbSeconds(), f.bytes() / 1e6 / f.duckdbSeconds(), f.duckdbRows());
            bytes += f.bytes();
            engineSeconds += f.engineSeconds();
            duckdbSeconds += f.duckdbSeconds();
        }
        double engine = bytes / 1e6 / engineSeconds;
        double duckdb = bytes / 1e6 / duckdbSeconds;
        out.printf("  together: engine %.1f MB/s, hand-written %.1f MB/s, ratio %.2f%n", engine, duckdb, engine / duckdb);
        return new Throughputs(engine, duckdb);
    }

    /** (a)'s result: MB/s of the engine and of the hand-written statement over both files. */
    private record Throughputs(double engineMbS, double duckdbMbS) {
    }

    /** What the host for (b) and (d) measured. */
    private record OneByOne(EndToEndSection.Figures e2e, Percentiles latency) {
    }

    /**
     * Starts hosts, one for each measurement, each first given the same warm-up (small files of both pipelines
     * dropped at once: the JVM, DuckDB's library and the stages' code paths warm), and notes their peaks.
     */
    private final class Hosts {
        private final String storage;
        private final Landing landing;
        private final List<Input> warmUp;
        private long heap;
        private long rss;
        private int started;

        Hosts(String storage, Landing landing, List<Input> warmUp) {
            this.storage = storage;
            this.landing = landing;
            this.warmUp = warmUp;
        }

        <T> T with(int concurrency, String what, java.util.function.Supplier<T> work) {
            int number = ++started;
            progress.say("Starting host #" + number + " for " + what + " (JVM " + HostProcess.MAX_HEAP + ", "
                    + concurrency + " invocation" + (concurrency == 1 ? "" : "s") + " per queue function at once)…");
            Path log = options.logs().resolve("host-" + number + ".log");
            try (HostProcess host = HostProcess.start(options.root(), options.dir(), storage, options.classPath(),
                    options.hostMain(), concurrency, log)) {
                List<Landing.Drop> drops = new ArrayList<>();
                for (Input input : warmUp) {
                    drops.add(landing.drop(input.pipeline().pipeline(), input.pipeline().landingName("warm-up-" + number
                            + "-" + input.fileName()), input.generated().file()));
                }
                drops.forEach(d -> landing.awaitCommit(d, EndToEndSection.timeout(d.bytes())));
                progress.say("  host #" + number + " warmed up (" + warmUp.size() + " small files committed)");
                T result = work.get();
                host.close();
                out.printf("  host #%d: peak heap %.0f MiB, peak RSS %.0f MiB%n", number, mib(host.peakHeap()),
                        mib(host.peakRss()));
                heap = Math.max(heap, host.peakHeap());
                rss = Math.max(rss, host.peakRss());
                return result;
            }
        }

        long peakHeap() {
            return heap;
        }

        long peakRss() {
            return rss;
        }
    }

    private static void writeDefinitions(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (BenchPipeline pipeline : BenchPipeline.values()) {
            Files.writeString(folder.resolve(pipeline.pipeline() + ".json"), pipeline.definitionJson(),
                    StandardCharsets.UTF_8);
        }
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
