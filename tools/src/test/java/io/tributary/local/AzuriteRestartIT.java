package io.tributary.local;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.history.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageAccount;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azurite stops in the middle of a run and comes back on the same ports with the same data ~2 s later: the local
 * host rides out the outage (its listeners keep polling, the stages' storage calls retry), the run commits once with
 * the rows a run without the outage gives, and a file dropped once Azurite is back is processed too.
 * Rerun a failure with {@code -Drestart.seed=N} (the seed is printed).
 */
class AzuriteRestartIT {

    static final HostJson HOST = new HostJson(4, 2, 5, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));
    static final int BIG_ROWS = 400_000;
    static final Duration OUTAGE = Duration.ofSeconds(2);

    @Test
    void aRunOutlivesAnAzuriteRestartAndCommitsOnce(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("restart.seed", System.nanoTime());
        System.out.println("AzuriteRestartIT seed " + seed + " (rerun with -Drestart.seed=" + seed + ")");
        Path data = Files.createTempDirectory("tributary-azurite-restart-");
        Path defs = dir.resolve("pipeline-defs");
        Files.createDirectories(defs);
        String orders = Files.readString(AzuriteExtension.projectRoot().resolve("pipeline-defs/orders.json"));
        for (String name : List.of("twin", "restart")) {
            Files.writeString(defs.resolve("orders-" + name + ".json"), orders.replace("\"name\": \"orders\"",
                    "\"name\": \"orders-" + name + "\"").replace("orders/*.csv", name + "/*.csv"));
        }
        Random random = new Random(seed);
        Path big = StorageFaultsIT.writeOrders(dir.resolve("big.csv"), BIG_ROWS, random);
        Path small = StorageFaultsIT.writeOrders(dir.resolve("small.csv"), 500, random);

        Azurite azurite = Azurite.startOwned(AzuriteExtension.projectRoot(), data);
        LocalHost host = null;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            Settings.clearOverlay();
            Settings.overlay(Map.of("AzureWebJobsStorage", azurite.connectionString(),
                    "TRIBUTARY_WORK_DIR", data.resolve("work").toString(),
                    "TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 * * *"));
            // The host's listeners fail fast and poll again, as the `host` command's do; the app retries as in Azure.
            StorageClients clients = new StorageClients(StorageAccount.from("AzureWebJobsStorage", Settings::get),
                    StorageClients.RetryPolicy.INTERACTIVE);
            clients.provision();
            RunHistory history = new RunHistory(new RunStore(new AzureBlobStore(clients.blobs())));
            host = new LocalHost(clients, HOST, new HostLog(new PrintStream(log, true, StandardCharsets.UTF_8), true),
                    "restart-host");
            host.start();

            // What the files must become: the twin pipeline, without an outage.
            long started = System.nanoTime();
            RunId twinBig = StorageFaultsIT.drop(clients, big, "twin/big.csv", "orders-twin");
            RunId twinSmall = StorageFaultsIT.drop(clients, small, "twin/small.csv", "orders-twin");
            assertEquals(RunState.COMMITTED, StorageFaultsIT.awaitOutcome(history, twinBig, log).status());
            assertEquals(RunState.COMMITTED, StorageFaultsIT.awaitOutcome(history, twinSmall, log).status());
            var expectedBig = StorageFaultsIT.dataset(clients, history, "orders-twin", twinBig, dir, false);
            var expectedSmall = StorageFaultsIT.dataset(clients, history, "orders-twin", twinSmall, dir, true);
            System.out.printf("AzuriteRestartIT: twin runs in %.1f s%n", (System.nanoTime() - started) / 1e9);

            // Drop, and stop Azurite as soon as the run's transform is under way.
            started = System.nanoTime();
            RunId runId = StorageFaultsIT.drop(clients, big, "restart/big.csv", "orders-restart");
            String stoppedDuring = awaitStage(history, runId, Duration.ofSeconds(60), log);
            int[] ports = {azurite.blobPort(), azurite.queuePort(), azurite.tablePort()};
            String transformStarted = history.status(runId).orElseThrow().stages().stream()
                    .filter(r -> r.stage() == Stage.TRANSFORM).findFirst().orElseThrow().startedAt().toString();
            azurite.close();
            Instant down = Instant.now();
            System.out.printf("AzuriteRestartIT: stopped Azurite %.1f s after the drop, during %s%n",
                    (System.nanoTime() - started) / 1e9, stoppedDuring);
            assertTrue(!Azurite.answers(ports[0]) && !Azurite.answers(ports[1]), "Azurite is down");
            Thread.sleep(OUTAGE.toMillis());
            azurite = Azurite.startOwned(AzuriteExtension.projectRoot(), data, ports[0], ports[1], ports[2]);
            assertEquals(ports[0], azurite.blobPort());
            assertEquals(ports[1], azurite.queuePort());
            System.out.printf("AzuriteRestartIT: Azurite back after %.1f s%n",
                    Duration.between(down, Instant.now()).toMillis() / 1e3);
            RunId smallRun = StorageFaultsIT.drop(clients, small, "restart/small.csv", "orders-restart");

            RunOutcome outcome = StorageFaultsIT.awaitOutcome(history, runId, log);
            RunOutcome smallOutcome = StorageFaultsIT.awaitOutcome(history, smallRun, log);
            System.out.printf("AzuriteRestartIT: both runs ended %.1f s after the drop%n",
                    (System.nanoTime() - started) / 1e9);
            String hostLog = log.toString(StandardCharsets.UTF_8);
            System.out.println("AzuriteRestartIT: the host's listeners failed to poll " + hostLog.lines()
                    .filter(l -> l.contains(" failed: ") && l.endsWith("; retrying")).count() + " times during the outage");
            hostLog.lines().filter(l -> l.contains("(Failed") || l.contains("could not"))
                    .forEach(l -> System.out.println("AzuriteRestartIT host: " + l));
            assertTrue(hostLog.contains("failed: ") && hostLog.contains("Connection refused"), "the host saw the outage");

            assertEquals(RunState.COMMITTED, outcome.status(), outcome.toString());
            assertEquals(RunState.COMMITTED, smallOutcome.status(), smallOutcome.toString());
            assertEquals(expectedBig, StorageFaultsIT.dataset(clients, history, "orders-restart", runId, dir, false));
            assertEquals(expectedSmall, StorageFaultsIT.dataset(clients, history, "orders-restart", smallRun, dir, true));
            for (String source : List.of("restart/big.csv", "restart/small.csv")) {
                assertEquals(1, history.runs().stream().filter(r -> r.source().name().equals(source)).count(), source);
            }
            StageReport transform = history.status(runId).orElseThrow().stages().stream()
                    .filter(r -> r.stage() == Stage.TRANSFORM).findFirst().orElseThrow();
            System.out.printf("AzuriteRestartIT: the transform that Azurite's stop interrupted %s; it finished %.1f s "
                    + "after the stop%n", transform.startedAt().toString().equals(transformStarted)
                    ? "rode out the outage in one attempt" : "was attempted again from " + transform.startedAt(),
                    Duration.between(down, transform.finishedAt()).toMillis() / 1e3);
            assertTrue(transform.finishedAt().isAfter(down), "the transform finished after the outage began");
            for (RunId run : List.of(runId, smallRun)) {
                List<StageReport> stages = history.status(run).orElseThrow().stages();
                assertEquals(List.of("extract/-1 succeeded", "transform/0 succeeded", "store/-1 succeeded"),
                        stages.stream().map(s -> s.stage() + "/" + s.chunk() + " " + s.status()).toList(), run.text());
            }
            assertEquals(List.of(), history.runs().stream().map(RunRecord::runId)
                    .filter(r -> history.status(r).orElseThrow().state() != RunState.COMMITTED).toList(),
                    "runs that did not commit");
            assertEquals(smallRun, history.latest("orders-restart").orElseThrow().runId());
            for (String queue : List.of(RunLayout.EXTRACT_QUEUE, RunLayout.TRANSFORM_QUEUE, RunLayout.STORE_QUEUE)) {
                assertEquals(0, clients.queue(queue + "-poison").getProperties().getApproximateMessagesCount(), queue);
            }
            assertEquals(0, clients.queue(io.tributary.run.RunLayout.BLOB_TRIGGER_POISON_QUEUE).getProperties().getApproximateMessagesCount());
        } finally {
            if (host != null) {
                host.stop(Duration.ofSeconds(10));
            }
            Settings.clearOverlay();
            azurite.close();
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Waits for the run's transform to start (its report says running), polling without pause; returns where the run
     * was. Fails when the run ends first: then the outage would test nothing.
     */
    private static String awaitStage(RunHistory history, RunId runId, Duration timeout, ByteArrayOutputStream log) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<RunHistory.RunStatus> status = history.status(runId);
            if (status.isPresent()) {
                assertTrue(status.get().outcome().isEmpty(), "the run ended before the outage: " + status.get());
                List<String> running = new ArrayList<>();
                for (StageReport report : status.get().stages()) {
                    running.add(report.stage() + "/" + report.chunk() + " " + report.status());
                }
                if (running.contains("transform/0 running")) {
                    return running.toString();
                }
            }
        }
        throw new AssertionError("the run's transform did not start within " + timeout.toSeconds() + " s; host log:\n"
                + log.toString(StandardCharsets.UTF_8));
    }
}
