package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.functions.AppInjector;
import io.tributary.local.Azurite;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.start.BrokenDefinition;
import io.tributary.storage.StorageAccount;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

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
        // The host's functions get their collaborators from this app, built now: a mistake in the app settings shows
        // now, in one line, not in every invocation.
        AppInjector injector = new AppInjector();
        PipelineCatalog catalog = injector.app().catalog();
        List<BrokenDefinition> broken = BrokenDefinition.of(catalog);
        HostWatch.brokenLines(workspace, broken).forEach(out::println);
        Set<String> brokenFiles = broken.stream().map(BrokenDefinition::file).collect(Collectors.toSet());
        catalog.problems().stream().filter(p -> !brokenFiles.contains(p.file())).forEach(p -> out.println(p.format()));
        if (!broken.isEmpty()) {
            out.println("Broken definitions are skipped, the others run; the host reads them again when they change.");
        }
        storageLines(clients.account()).forEach(out::println);
        HostLog log = new HostLog(out, verbose);
        LocalHost host = new LocalHost(clients, hostJson, log, "tributary-local", httpPort, injector);
        host.start();
        HostWatch watch = HostWatch.start(workspace, () -> injector.app().catalog(), catalog, log);
        host.onStop(watch::close);
        out.println("Local host on " + clients.account() + " with functions: " + String.join(", ",
                host.functions().stream().map(f -> f.name()).toList()));
        host.httpBase().ifPresent(base -> out.println("HTTP functions at " + base + " (start a run: POST " + base
                + "pipelines/PIPELINE/runs)\nDashboard at " + base + "dashboard"));
        catalog.all().forEach(p -> out.println(describe(p)));
        return host;
    }

    /**
     * For an Azurite (its well-known development account on loopback), the three endpoints the host uses and a
     * connection string for other tools: on ports other than 10000-10002 (taken by another Azurite, say),
     * {@code UseDevelopmentStorage=true} would reach the wrong emulator. Nothing for a real account: its key is a
     * secret.
     */
    static List<String> storageLines(StorageAccount account) {
        String loopback = account.blobEndpoint().getHost();
        if (account.connectionString() == null || !account.blobEndpoint().getPath().equals("/"
                + StorageAccount.AZURITE_ACCOUNT) || !(loopback.equals("127.0.0.1") || loopback.equals("localhost"))) {
            return List.of();
        }
        int[] ports = {account.blobEndpoint().getPort(), account.queueEndpoint().getPort(),
                account.tableEndpoint().getPort()};
        boolean usual = Arrays.equals(ports, Azurite.CONVENTIONAL_PORTS);
        return List.of("Storage: Azurite" + (usual ? "" : ", not on the usual ports 10000-10002 (taken, e.g. by "
                        + "another Azurite), so UseDevelopmentStorage=true does not reach it; use the endpoints below"),
                "  blob   " + account.blobEndpoint(),
                "  queue  " + account.queueEndpoint(),
                "  table  " + account.tableEndpoint(),
                "  connection string (Azure Storage Explorer, az storage … --connection-string, an SDK):",
                "  " + StorageAccount.azuriteConnectionString(loopback, ports[0], ports[1], ports[2]));
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
