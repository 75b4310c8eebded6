package io.tributary.local;

import io.tributary.definition.output.SplitName;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.history.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import io.tributary.testing.DeltaTables;
import io.tributary.testing.ParquetRows;
import io.tributary.testing.RunVersions;
import io.tributary.testing.TableDownload;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash recovery: the local host, a separate JVM as {@code tributary host}, is killed with SIGKILL at random
 * moments while dropped files run through the stage chain, and restarted each time. Every run must still commit
 * exactly once, a dataset identical to an undisturbed run of the same input: same manifest counts, same rows, the
 * same files and nothing more, {@code latest.json} on a committed run, no failed run, nothing poisoned. Every second
 * input also goes to a copy of the pipeline that merges its runs by order id into a Delta table: after the kills the
 * table holds one version per run, each run's transaction in exactly one, and the rows of the undisturbed table.
 *
 * <p>The random moments come from a seed printed at the start (and with the kill times); {@code
 * -Dtributary.crash.seed=N} replays one; {@code -Dtributary.crash.kills=N} kills N times instead of 3 to 5 (to search
 * harder, by hand).
 */
class CrashRecoveryIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final String REFERENCE = "crash-ref";
    static final String CRASHED = "crash";
    static final String TABLE_REFERENCE = "crash-ref-table";
    static final String TABLE_CRASHED = "crash-table";
    /** Every {@code TABLE_EVERY}th input also goes to the table's pipeline, so that they spread over the kills. */
    static final int TABLE_EVERY = 2;
    static final int INPUTS = 6;
    static final int ROWS = 20_000;
    /** How long a message or a blob trigger taken by a killed host stays taken: the test host.json's functionTimeout. */
    static final String FUNCTION_TIMEOUT = "00:00:08";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** How long all runs of a phase may take, together. */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(120);

    static StorageClients storage;
    static RunHistory history;
    static Path hostRoot;
    static Path inputs;
    static final StringBuffer hostLog = new StringBuffer();
    static HostProcess host;
    static int incarnations;

    @BeforeAll
    static void prepare() throws IOException {
        storage = AZURITE.clients();
        history = new RunHistory(new RunStore(new AzureBlobStore(storage.blobs())));
        hostRoot = AZURITE.dataDir().resolve("host-root");
        Path defs = hostRoot.resolve("pipeline-defs");
        Files.createDirectories(defs);
        String orders = Files.readString(AzuriteExtension.projectRoot().resolve("pipeline-defs/orders.json"))
                .replace("\"$schema\": \"./schema/pipeline.schema.json\",", "");
        for (String name : List.of(REFERENCE, CRASHED, TABLE_REFERENCE, TABLE_CRASHED)) {
            // Cut into chunks of 256 KB, so that kills land in fan-out, key routing (unique order ids) and fan-in too.
            String definition = orders.replace("\"name\": \"orders\"", "\"name\": \"" + name + "\"")
                    .replace("orders/*.csv", name + "/*.csv").replace("\"schemaVersion\": 1,",
                            "\"schemaVersion\": 1, \"chunkSize\": \"256KB\",");
            if (name.endsWith("table")) {
                // Merged by order id (the split's keys too), with a checkpoint every second version.
                definition = definition.replace("\"keys\": [\"customer_id\"]", "\"keys\": [\"order_id\"]")
                        .replace("\"compression\": \"zstd\" }", "\"compression\": \"zstd\", \"table\": {\"mode\": "
                                + "\"merge\", \"keys\": [\"order_id\"], \"orderBy\": \"order_date\", \"checkpointInterval\": 2} }");
            }
            Files.writeString(defs.resolve(name + ".json"), definition);
        }
        Files.copy(AzuriteExtension.projectRoot().resolve("local.settings.example.json"),
                hostRoot.resolve("local.settings.json"));
        // Short leases, so that what a killed host had taken comes back within seconds; enough attempts that the
        // kills alone never exhaust them.
        Files.writeString(hostRoot.resolve("host.json"), """
                {
                  "version": "2.0",
                  "extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)"},
                  "functionTimeout": "%s",
                  "extensions": {"queues": {"maxPollingInterval": "00:00:00.5", "visibilityTimeout": "00:00:01",
                    "batchSize": 4, "newBatchThreshold": 2, "maxDequeueCount": 20, "messageEncoding": "base64"}}
                }
                """.formatted(FUNCTION_TIMEOUT));
        inputs = AZURITE.dataDir().resolve("inputs");
        Files.createDirectories(inputs);
        for (int i = 0; i < INPUTS; i++) {
            Files.writeString(inputs.resolve("orders-" + i + ".csv"), orders(i));
        }
    }

    @AfterAll
    static void stopHost() throws IOException {
        if (host != null) {
            host.kill();
        }
        // Every host's output, for a failure to be read (and replayed with the seed the test printed).
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("crash-recovery-hosts.log"), hostLog);
        }
    }

    /**
     * Input {@code i}: {@link #ROWS} orders with ids of their own; some rows rejected (an amount that is not a number,
     * a bad date), some filtered out (not EUR), some dropped by an expectation (items out of range).
     */
    static String orders(int i) {
        Random random = new Random(1000 + i);
        StringBuilder csv = new StringBuilder("order_id,customer_id,order_date,amount,currency,channel,items,returned\n");
        String[] channels = {"web", "store", "phone", "\"store, outlet\""};
        for (int r = 0; r < ROWS; r++) {
            long id = 100_000L * (i + 1) + r;
            String amount = random.nextInt(50) == 0 ? "lots" : String.format(java.util.Locale.ROOT, "%.2f",
                    random.nextInt(100_000) / 100.0 + 0.01);
            String date = random.nextInt(80) == 0 ? "2026-13-45" : "2026-" + String.format("%02d-%02d",
                    1 + random.nextInt(12), 1 + random.nextInt(28));
            String currency = random.nextInt(10) == 0 ? "USD" : "EUR";
            int items = random.nextInt(30) == 0 ? 99 : 1 + random.nextInt(10);
            csv.append(id).append(",C-").append(random.nextInt(ROWS / 3)).append(',').append(date).append(',')
                    .append(amount).append(',').append(currency).append(',').append(channels[random.nextInt(4)])
                    .append(',').append(items).append(',').append(random.nextBoolean()).append('\n');
        }
        return csv.toString();
    }

    @Test
    void everyRunCommitsOnceAndTheSameDatasetThoughTheHostIsKilledAtRandomMoments() throws Exception {
        long seed = Long.getLong("tributary.crash.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        int kills = 3 + random.nextInt(3);
        kills = Integer.getInteger("tributary.crash.kills", kills);
        System.out.println("CrashRecoveryIT: seed " + seed + " (replay with -Dtributary.crash.seed=" + seed + "), "
                + kills + " kills, " + INPUTS + " inputs of " + ROWS + " rows");
        Instant start = Instant.now();

        // The undisturbed runs: every input through one host that nobody kills.
        host = HostProcess.start();
        List<RunId> referenceRuns = new ArrayList<>();
        List<RunId> tableReferenceRuns = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            referenceRuns.add(drop(i, REFERENCE));
            if (i % TABLE_EVERY == 0) {
                tableReferenceRuns.add(drop(i, TABLE_REFERENCE));
            }
        }
        Instant referenceDeadline = Instant.now().plus(COMMIT_TIMEOUT);
        for (RunId runId : concat(referenceRuns, tableReferenceRuns)) {
            assertEquals(RunState.COMMITTED, awaitOutcome(runId, referenceDeadline).status(), () -> "undisturbed run " + runId + "\n" + hostLog);
        }
        List<Dataset> expected = new ArrayList<>();
        for (RunId runId : referenceRuns) {
            expected.add(Dataset.read(REFERENCE, runId));
        }
        System.out.println("CrashRecoveryIT: undisturbed runs committed after "
                + Duration.between(start, Instant.now()).toMillis() + " ms");

        // The same inputs again, dropped while the host is killed and restarted.
        Instant crashStart = Instant.now();
        List<RunId> crashedRuns = new ArrayList<>();
        List<RunId> tableRuns = new ArrayList<>();
        List<String> killLog = new ArrayList<>();
        int next = 0;
        int killsInFlight = 0;
        for (int cycle = 0; cycle <= kills; cycle++) {
            if (cycle > 0) {
                host = HostProcess.start();
            }
            int dropUntil = cycle >= kills ? INPUTS : (cycle + 1) * INPUTS / kills;
            for (; next < dropUntil; next++) {
                crashedRuns.add(drop(next, CRASHED));
                if (next % TABLE_EVERY == 0) {
                    tableRuns.add(drop(next, TABLE_CRASHED));
                }
            }
            if (cycle < kills) {
                long delay = 200 + random.nextInt(1301);
                Thread.sleep(delay);
                // A kill between invocations tests little: when the host is idle, wait (up to 2 s) until it runs one.
                long waited = host.awaitBusy(Duration.ofSeconds(2));
                if (waited > 0) {
                    long more = random.nextInt(300);
                    Thread.sleep(more);
                    delay += waited + more;
                }
                String inFlight = host.inFlight();
                killsInFlight += inFlight.equals("nothing") ? 0 : 1;
                host.kill();
                String line = "kill " + (cycle + 1) + ": host #" + host.number + ", " + delay + " ms after its cycle's drops, at +"
                        + Duration.between(crashStart, Instant.now()).toMillis() + " ms; in flight: " + inFlight;
                killLog.add(line);
                System.out.println("CrashRecoveryIT: " + line);
            }
        }

        // Let the last host finish: every run commits, each once, and nothing fails.
        Instant deadline = Instant.now().plus(COMMIT_TIMEOUT);
        try {
            for (RunId runId : concat(crashedRuns, tableRuns)) {
                RunOutcome outcome = awaitOutcome(runId, deadline);
                assertEquals(RunState.COMMITTED, outcome.status(), () -> "run " + runId + ": " + outcome);
            }
            System.out.println("CrashRecoveryIT: all runs committed " + Duration.between(crashStart, Instant.now())
                    .toMillis() + " ms after the first drop under kills");
            // A run's outcome may be recorded by an attempt killed before it tidied up (the concurrency markers): its
            // message comes back once its lease ends and finishes the job. Wait until no stage message is left.
            Eventually.await("the stage queues to drain", Duration.between(Instant.now(), deadline).isNegative()
                    ? Duration.ZERO : Duration.between(Instant.now(), deadline), () -> Optional.of(0)
                    .filter(none -> stageMessages() == 0));
            for (int i = 0; i < INPUTS; i++) {
                Dataset actual = Dataset.read(CRASHED, crashedRuns.get(i));
                expected.get(i).assertSameAs(actual, "input " + i + " (run " + crashedRuns.get(i) + ")");
            }
            assertNoOtherRunsOrFailures(CRASHED, crashedRuns);
            assertNoOtherRunsOrFailures(TABLE_CRASHED, tableRuns);
            LatestPointer latest = history.latest(CRASHED).orElseThrow(() -> new AssertionError("no latest.json"));
            // Run ids begin with their time: the newest committed run is the greatest id.
            assertEquals(new TreeSet<>(crashedRuns).last(), latest.runId(), "latest.json's run");
            assertEquals(RunLayout.manifest(CRASHED, latest.runId()), latest.manifest());
            assertTrue(history.manifest(CRASHED, latest.runId()).isPresent(), "latest.json names a run without manifest");
            assertEquals(List.of(), names(RunLayout.STATE, RunLayout.activePrefix(CRASHED)), "runs left active");

            // The table: a version per run, each run's counts, and (compared as multisets: runs commit in any order)
            // the rows of the undisturbed table as Delta Kernel reads them.
            BlobStore blobs = new AzureBlobStore(storage.blobs());
            Path dir = Files.createTempDirectory(AZURITE.dataDir(), "tables-");
            RunVersions.assertOnePerRun(RunVersions.log(blobs, TABLE_REFERENCE, dir.resolve("log")), TABLE_REFERENCE,
                    tableReferenceRuns);
            RunVersions.assertOnePerRun(RunVersions.log(blobs, TABLE_CRASHED, dir.resolve("log")), TABLE_CRASHED,
                    tableRuns);
            long committedRows = 0;
            for (int j = 0; j < tableRuns.size(); j++) {
                Manifest undisturbed = history.manifest(TABLE_REFERENCE, tableReferenceRuns.get(j)).orElseThrow();
                Manifest crashed = history.manifest(TABLE_CRASHED, tableRuns.get(j)).orElseThrow();
                assertEquals(undisturbed.rows(), crashed.rows(), "table input " + j * TABLE_EVERY);
                assertEquals(undisturbed.splits(), crashed.splits(), "table input " + j * TABLE_EVERY);
                committedRows += expected.get(j * TABLE_EVERY).rows().out();
            }
            List<String> rows = tableRows(blobs, TABLE_REFERENCE, dir);
            assertEquals(committedRows, rows.size(), "every row in the table");
            assertEquals(rows, tableRows(blobs, TABLE_CRASHED, dir), "the table's rows");
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + "; " + String.join("; ", killLog) + ": " + e.getMessage()
                    + "\n(every host's output: target/crash-recovery-hosts.log)", e);
        }
        // Each host sweeps, as it starts, the work dirs of the hosts killed before it (WorkDirSweepIT asserts it).
        Path work = hostRoot.resolve("work");
        long leftOver;
        try (var dirs = Files.exists(work) ? Files.list(work) : java.util.stream.Stream.<Path>empty()) {
            leftOver = dirs.count();
        }
        System.out.println("CrashRecoveryIT: " + leftOver + " process folder(s) in " + work + " (the running host's)");
        System.out.println("CrashRecoveryIT: " + INPUTS + " datasets and a table of " + tableRuns.size()
                + " versions identical to the undisturbed runs' after " + kills
                + " kills (" + killsInFlight + " of them during invocations), " + incarnations + " host starts, "
                + Duration.between(start, Instant.now()).toMillis() + " ms in all");
    }

    /** The messages on the stage queues, invisible ones (taken by a host, or by a killed one) included. */
    private static int stageMessages() {
        int count = 0;
        for (String queue : List.of(RunLayout.EXTRACT_QUEUE, RunLayout.TRANSFORM_QUEUE, RunLayout.STORE_QUEUE)) {
            count += storage.queue(queue).getProperties().getApproximateMessagesCount();
        }
        return count;
    }

    /** The rows of {@code pipeline}'s table at its newest version as Delta Kernel reads them, as text, sorted. */
    private static List<String> tableRows(BlobStore blobs, String pipeline, Path dir) throws IOException {
        return DeltaTables.rows(TableDownload.of(blobs, pipeline, dir.resolve(pipeline))).stream()
                .map(String::valueOf).sorted().toList();
    }

    private static List<RunId> concat(List<RunId> a, List<RunId> b) {
        List<RunId> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    /** One run per input of {@code pipeline}, no run failed, nothing in a poison queue. */
    private static void assertNoOtherRunsOrFailures(String pipeline, List<RunId> crashedRuns) {
        List<RunRecord> runs = history.runs().stream().filter(r -> r.pipeline().equals(pipeline)).toList();
        assertEquals(new TreeSet<>(crashedRuns), runs.stream().map(RunRecord::runId).collect(Collectors.toCollection(TreeSet::new)),
                "the runs of " + pipeline);
        for (RunRecord run : history.runs()) {
            Optional<RunOutcome> outcome = history.status(run.runId()).flatMap(RunHistory.RunStatus::outcome);
            assertEquals("committed", outcome.map(o -> o.status().text()).orElse("none"), "run " + run.runId());
        }
        for (String queue : List.of(RunLayout.EXTRACT_QUEUE, RunLayout.TRANSFORM_QUEUE, RunLayout.STORE_QUEUE,
                "webjobs-blobtrigger")) {
            int count;
            try {
                count = storage.queue(queue + "-poison").getProperties().getApproximateMessagesCount();
            } catch (com.azure.storage.queue.models.QueueStorageException e) {
                if (!"QueueNotFound".equals(String.valueOf(e.getErrorCode()))) {
                    throw e;
                }
                count = 0;
            }
            assertEquals(0, count, "messages in " + queue + "-poison");
        }
    }

    /** Drops input {@code i} for {@code pipeline}; returns the run id its drop must get. */
    private static RunId drop(int i, String pipeline) {
        String name = pipeline + "/orders-" + i + ".csv";
        BlobClient blob = storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient(name);
        blob.uploadFromFile(inputs.resolve("orders-" + i + ".csv").toString(), true);
        var properties = blob.getProperties();
        return RunId.forDrop(pipeline, new BlobRef(RunLayout.LANDING, name, properties.getETag()),
                properties.getLastModified().toInstant());
    }

    /** The outcome of {@code runId}, waiting for it until {@code deadline} at the latest. */
    private static RunOutcome awaitOutcome(RunId runId, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return Eventually.await("run " + runId + " to end", left.isNegative() ? Duration.ZERO : left,
                () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome));
    }

    private static List<String> names(String container, String prefix) {
        BlobContainerClient client = storage.blobs().getBlobContainerClient(container);
        if (!client.exists()) {
            return List.of();
        }
        return client.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream().map(BlobItem::getName).toList();
    }

    /** What a run committed, with the run's own names taken out: what must not depend on crashes. */
    record Dataset(Manifest.Rows rows, Map<SplitName, Long> splits, List<String> files, List<String> dataFiles,
                   Map<String, List<String>> rowsBySplit, List<String> rejects, String statistics, String expectations) {

        static Dataset read(String pipeline, RunId runId) throws IOException {
            Manifest manifest = history.manifest(pipeline, runId)
                    .orElseThrow(() -> new AssertionError("no manifest for " + runId));
            String folder = RunLayout.datasetFolder(pipeline, runId);
            List<String> files = names(RunLayout.TRAINING, folder).stream().map(n -> n.substring(folder.length()))
                    .sorted().toList();
            Map<String, List<String>> rowsBySplit = new TreeMap<>();
            Path download = Files.createTempFile(AZURITE.dataDir(), "part-", ".parquet");
            for (Manifest.DataFile file : manifest.files()) {
                storage.blobs().getBlobContainerClient(RunLayout.TRAINING).getBlobClient(folder + file.path())
                        .downloadToFile(download.toString(), true);
                List<Map<String, Object>> rows = ParquetRows.read(download);
                assertEquals(file.rows(), rows.size(), runId + " " + file.path() + " rows");
                rowsBySplit.computeIfAbsent(file.split().text(), s -> new ArrayList<>())
                        .addAll(rows.stream().map(Object::toString).toList());
            }
            Files.delete(download);
            rowsBySplit.values().forEach(rows -> rows.sort(null));
            List<String> rejects = new ArrayList<>();
            for (String part : manifest.rejects()) {
                String name = part.startsWith(folder) ? part : folder + part;
                rejects.addAll(storage.blobs().getBlobContainerClient(RunLayout.TRAINING).getBlobClient(name)
                        .downloadContent().toString().lines()
                        // Each reject names its source, whose name is the pipeline's: compared without it.
                        .map(l -> l.replaceFirst("^\\{\"source\":\"[^\"]*\",", "{")).toList());
            }
            return new Dataset(manifest.rows(), manifest.splits(), files,
                    manifest.files().stream().map(f -> f.split() + " " + f.path() + " " + f.rows()).sorted().toList(),
                    rowsBySplit, rejects, statistics(manifest.statistics()), String.valueOf(manifest.expectations()));
        }

        /** The column statistics as text, each mean to 12 significant digits (a sum's order must not matter). */
        private static String statistics(List<io.tributary.run.ColumnStatistics> statistics) {
            return statistics.stream().map(c -> new io.tributary.run.ColumnStatistics(c.name(), c.type(), c.rows(),
                    c.nulls(), c.min(), c.max(), c.mean() == null ? null : Double.valueOf(String.format(
                    java.util.Locale.ROOT, "%.12g", c.mean())), c.distinct()).toString()).collect(Collectors.joining("\n"));
        }

        void assertSameAs(Dataset actual, String what) {
            assertEquals(rows, actual.rows, what + ": rows in/out/rejected");
            assertEquals(splits, actual.splits, what + ": rows per split");
            assertEquals(files, actual.files, what + ": the files in the dataset folder");
            assertEquals(dataFiles, actual.dataFiles, what + ": the manifest's data files");
            assertEquals(rowsBySplit.keySet(), actual.rowsBySplit.keySet(), what + ": splits");
            for (String split : rowsBySplit.keySet()) {
                assertTrue(rowsBySplit.get(split).equals(actual.rowsBySplit.get(split)), what + ": the rows of " + split
                        + " differ (" + rowsBySplit.get(split).size() + " vs " + actual.rowsBySplit.get(split).size() + ")");
            }
            assertEquals(rejects, actual.rejects, what + ": rejects");
            assertEquals(statistics, actual.statistics, what + ": column statistics");
            assertEquals(expectations, actual.expectations, what + ": expectation results");
        }
    }

    /** {@code tributary host} in a JVM of its own, on the test's Azurite, with the test's definitions and host.json. */
    static final class HostProcess {
        final int number;
        final Process process;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Map<String, String> running = new LinkedHashMap<>();

        private HostProcess(int number, Process process) {
            this.number = number;
            this.process = process;
        }

        static HostProcess start() throws IOException {
            int number = ++incarnations;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                    "-Dtributary.root=" + hostRoot, "-cp", classPath(), "io.tributary.cli.Main",
                    "host", "--verbose", "--http-port", String.valueOf(freePort())));
            ProcessBuilder builder = new ProcessBuilder(command).directory(hostRoot.toFile()).redirectErrorStream(true);
            builder.environment().put("AzureWebJobsStorage", AZURITE.connectionString());
            builder.environment().put("AzureWebJobsScriptRoot", hostRoot.toString());
            builder.environment().put("TRIBUTARY_PIPELINE_DEFS", hostRoot.resolve("pipeline-defs").toString());
            builder.environment().put("TRIBUTARY_WORK_DIR", hostRoot.resolve("work").toString());
            HostProcess host = new HostProcess(number, builder.start());
            // Should the test's JVM end first, the host must not outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(host.process::destroyForcibly));
            Thread reader = new Thread(host::read, "host-" + number + "-output");
            reader.setDaemon(true);
            reader.start();
            try {
                host.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                host.kill();
                throw new AssertionError("host #" + number + " did not start: " + e + "\n" + hostLog, e);
            }
            return host;
        }

        /** A free loopback port for the host's HTTP functions (it takes another should this one be taken meanwhile). */
        private static int freePort() throws IOException {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        /** Copies the host's output to the test's log, noting when it is ready and which invocations run. */
        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    hostLog.append("host#").append(number).append(' ').append(line).append('\n');
                    if (line.startsWith("Host running.")) {
                        ready.complete(null);
                    }
                    int executing = line.indexOf("Executing 'Functions.");
                    int executed = line.indexOf("Executed 'Functions.");
                    synchronized (running) {
                        if (executing >= 0) {
                            running.put(id(line), line.substring(executing + 21, line.indexOf('\'', executing + 21)));
                        } else if (executed >= 0) {
                            running.remove(id(line));
                        }
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
            hostLog.append("host#").append(number).append(" (output ended)\n");
            ready.completeExceptionally(new IllegalStateException("the host exited"));
        }

        private static String id(String line) {
            int at = line.indexOf("Id=");
            int end = line.indexOf(at >= 0 && line.indexOf(',', at) >= 0 ? ',' : ')', at);
            return at < 0 ? line : line.substring(at + 3, end < 0 ? line.length() : end);
        }

        /** Waits until an invocation runs, at most {@code limit}; returns how many milliseconds it waited. */
        long awaitBusy(Duration limit) throws InterruptedException {
            long start = System.nanoTime();
            while (inFlight().equals("nothing") && System.nanoTime() - start < limit.toNanos()) {
                Thread.sleep(10);
            }
            return (System.nanoTime() - start) / 1_000_000;
        }

        String inFlight() {
            synchronized (running) {
                return running.isEmpty() ? "nothing" : String.join(", ", running.values());
            }
        }

        /** SIGKILL, as a crashed machine would stop it: no shutdown hook runs. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The test's class path without the test classes: the app and its libraries, as tools/target/lib holds them. */
        private static String classPath() {
            String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Set<String> entries = new LinkedHashSet<>(Arrays.asList(path.split(File.pathSeparator)));
            entries.removeIf(e -> e.endsWith("test-classes") || e.endsWith("test-classes/") || e.endsWith("-tests.jar"));
            return String.join(File.pathSeparator, entries);
        }
    }
}
