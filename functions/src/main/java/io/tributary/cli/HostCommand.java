package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.Problem;
import io.tributary.functions.FunctionApp;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tributary host [--verbose] [--http-port P] [--concurrency N]}: the local Functions host, in the foreground
 * until Ctrl-C; {@code --concurrency N} runs at most N invocations of each queue function at once instead of what
 * host.json's batchSize and newBatchThreshold allow.
 */
final class HostCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    HostCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("verbose"), Set.of("http-port", "concurrency"));
        long concurrency = args.option("concurrency").isPresent() ? args.number("concurrency", 1) : 0;
        if (concurrency > 32) {
            throw new UsageException("--concurrency takes 1 to 32 invocations per queue function; got " + concurrency);
        }
        HostJson hostJson = concurrency == 0 ? workspace.hostJson() : workspace.hostJson().withConcurrency((int) concurrency);
        LocalHost host = start(workspace, out, args.flag("verbose"), args.port("http-port", 7071), hostJson);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the host: waiting for running invocations…");
            host.stop(Duration.ofSeconds(30));
            out.println("Host stopped. The embedded Azurite keeps running; 'tributary stop' stops it.");
            stopped.countDown();
        }));
        out.println("Host running. Drop files with 'tributary drop FILE'. Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Connects, reports the definitions (a broken one is skipped, the others run) and starts a host. */
    static LocalHost start(Workspace workspace, PrintStream out, boolean verbose, int httpPort) {
        return start(workspace, out, verbose, httpPort, workspace.hostJson());
    }

    /** As {@link #start(Workspace, PrintStream, boolean, int)}, with these host settings. */
    static LocalHost start(Workspace workspace, PrintStream out, boolean verbose, int httpPort, HostJson hostJson) {
        var clients = workspace.connect();
        PipelineCatalog catalog = workspace.catalog();
        for (Problem problem : catalog.problems()) {
            out.println(problem.format());
        }
        if (!catalog.problems().isEmpty()) {
            out.println("Definitions with problems are skipped; the others run.");
        }
        FunctionApp.reset();
        FunctionApp.get(); // a mistake in the app settings shows now, in one line, not in every invocation
        LocalHost host = new LocalHost(clients, hostJson, new HostLog(out, verbose), "tributary-local",
                httpPort);
        host.start();
        out.println("Local host on " + clients.account() + " with functions: " + String.join(", ",
                host.functions().stream().map(f -> f.name()).toList()));
        host.httpBase().ifPresent(base -> out.println("HTTP functions at " + base + " (start a run: POST " + base
                + "pipelines/PIPELINE/runs)\nDashboard at " + base + "dashboard"));
        catalog.all().forEach(p -> out.println(describe(p)));
        return host;
    }

    /** A pipeline's start-up line: what starts its runs (with a schedule's time zone) and what it fetches. */
    static String describe(PipelineDefinition p) {
        return "  pipeline " + p.name()
                + p.fileDrop().map(t -> " ← " + RunLayout.LANDING + "/" + t.path()).orElse("")
                + p.dataset().map(t -> " ← datasets of " + t.pipeline()).orElse("")
                + p.schedule().map(s -> " ⏱ " + s.cron() + " in " + s.timeZone().getId()).orElse("")
                + p.fetched().map(f -> " (" + f.kind() + (p.incremental().isPresent() ? ", incremental" : "") + ")")
                        .orElse("");
    }
}
