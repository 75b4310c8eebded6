package io.tributary.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.history.RunHistory;
import io.tributary.job.JobPhase;
import io.tributary.local.compute.LocalAzureMl;
import io.tributary.local.compute.LocalDatabricks;
import io.tributary.local.compute.LocalJobCode;
import io.tributary.local.compute.StandInServer;
import io.tributary.run.Json;
import io.tributary.run.JobRecord;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunState;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.stage.JobSteps;
import io.tributary.stage.RunCancels;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import io.tributary.testing.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job stages end to end on Azurite, through the local host and the function classes the Functions host loads: a
 * dropped file's transform runs as a Databricks notebook run on a loopback stand-in of the Jobs API (the notebook's
 * code a DuckDB script run on this machine, reading the run's input and writing its output through the storage
 * account), Tributary splits and commits what it wrote, and a training job on an Azure ML stand-in starts with the
 * committed split. Each job is submitted once, with the run step's key, and checked through delayed messages.
 */
class JobStagesIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final HostJson HOST = new HostJson(4, 2, 3, Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(30));
    static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml"
            + "/providers/Microsoft.MachineLearningServices/workspaces/local";

    /** The settings a test overlays; the others (Azurite's connection) belong to the extension. */
    static final List<String> SETTINGS = List.of("TRIBUTARY_PIPELINE_DEFS", "TRIBUTARY_SCHEDULE_TICK",
            "TRIBUTARY_DATABRICKS_URL", "TRIBUTARY_AZUREML_WORKSPACE_ID", "TRIBUTARY_AZUREML_ENDPOINT",
            "TRIBUTARY_JOB_POLL_SECONDS", "TRIBUTARY_JOB_POLL_MAX_SECONDS");

    @TempDir
    Path dir;

    private LocalDatabricks databricks;
    private LocalAzureMl azureml;
    private LocalHost host;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
        Settings.removeOverlay(SETTINGS);
        for (StandInServer server : new StandInServer[] {databricks, azureml}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static String definition(String name, String notebook) {
        return """
                {
                  "schemaVersion": 1,
                  "name": "%s",
                  "trigger": { "type": "fileDrop", "path": "%s/*.csv" },
                  "source": { "format": "csv" },
                  "job": {
                    "databricks": {
                      "notebook": "/Workspace/Shared/%s",
                      "cluster": { "existing": "local-cluster" },
                      "parameters": { "input": "${input.uri}", "output": "${output.uri}", "run": "${run.id}" }
                    },
                    "timeout": "10m"
                  },
                  "expectations": [ { "expect": "unique", "column": "order_id" } ],
                  "split": { "keys": ["order_id"], "seed": 7, "fractions": { "train": 0.75, "test": 0.25 } },
                  "onCommit": [
                    {
                      "name": "train",
                      "azureml": {
                        "component": "azureml:train_orders:1",
                        "inputs": {
                          "training_data": { "type": "mltable", "value": "${split.train.url}" },
                          "version": { "type": "literal", "value": "${dataset.version}" }
                        }
                      }
                    }
                  ]
                }
                """.formatted(name, name, notebook);
    }

    private StorageClients start() throws Exception {
        Path defs = dir.resolve("pipeline-defs");
        Path jobs = dir.resolve("jobs");
        Files.createDirectories(defs);
        Files.createDirectories(jobs);
        Files.writeString(defs.resolve("cleaned.json"), definition("cleaned", "clean_orders"));
        Files.writeString(defs.resolve("broken.json"), definition("broken", "broken_orders"));
        Files.writeString(defs.resolve("waiting.json"), definition("waiting", "wait_for_ever"));
        Files.writeString(jobs.resolve("clean_orders.sql"), """
                -- The notebook's work, on this machine: drop refunds, name customers in capitals.
                COPY (
                  SELECT order_id, upper(customer) AS customer, amount
                  FROM read_csv('${input}', header = true, columns = {'order_id': 'BIGINT', 'customer': 'VARCHAR', 'amount': 'DECIMAL(10,2)'})
                  WHERE amount > 0
                ) TO '${output}/part-0.parquet' (FORMAT parquet);
                """);
        Files.writeString(jobs.resolve("broken_orders.sql"), "SELECT * FROM no_such_table;\n");
        StorageClients storage = AZURITE.clients();
        databricks = new LocalDatabricks();
        LocalDatabricks.RunExecutor code = new LocalJobCode(jobs, storage.blobs(), dir).databricks();
        // A notebook that runs until it is cancelled; the others run their script.
        databricks.executor(run -> run.task().path("notebook_task").path("notebook_path").asText().endsWith("wait_for_ever")
                ? new java.util.concurrent.CompletableFuture<>() : code.start(run));
        azureml = new LocalAzureMl(0, WORKSPACE).component("train_orders", "1");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 * * *",
                "TRIBUTARY_DATABRICKS_URL", databricks.uri().toString(),
                "TRIBUTARY_AZUREML_WORKSPACE_ID", WORKSPACE,
                "TRIBUTARY_AZUREML_ENDPOINT", azureml.uri().toString(),
                "TRIBUTARY_JOB_POLL_SECONDS", "1", "TRIBUTARY_JOB_POLL_MAX_SECONDS", "2"));
        host = new LocalHost(storage, HOST, new HostLog(new PrintStream(log, true, StandardCharsets.UTF_8), true),
                "jobs-host");
        host.start();
        return storage;
    }

    private static final String ORDERS = """
            order_id,customer,amount
            1,ada,12.50
            2,grace,-3.00
            3,alan,7.25
            4,edsger,0.00
            5,barbara,19.99
            6,ken,4.10
            7,dennis,88.00
            8,margaret,-1.00
            """;

    @Test
    void aTransformJobsOutputIsSplitAndCommittedAndATrainingJobStartsWithTheCommittedSplit() throws Exception {
        StorageClients storage = start();
        RunHistory history = new RunHistory(new RunStore(new AzureBlobStore(storage.blobs())));
        Path file = Files.writeString(dir.resolve("orders.csv"), ORDERS);
        RunId runId = StorageFaultsIT.drop(storage, file, "cleaned/orders-1.csv", "cleaned");

        RunOutcome outcome = StorageFaultsIT.awaitOutcome(history, runId, log);
        assertEquals(RunState.COMMITTED, outcome.status(), outcome + "\n" + log.toString(StandardCharsets.UTF_8));

        // What the notebook wrote, split and committed by Tributary.
        Manifest manifest = history.manifest("cleaned", runId).orElseThrow();
        assertEquals(5, manifest.rows().out());
        List<Map<String, Object>> rows = ParquetRows.ofDataset(storage.blobs().getBlobContainerClient(RunLayout.TRAINING),
                manifest, dir);
        assertEquals(new TreeSet<>(List.of("1 ADA 12.50", "3 ALAN 7.25", "5 BARBARA 19.99", "6 KEN 4.10",
                "7 DENNIS 88.00")), rows.stream().map(r -> r.get("order_id") + " " + r.get("customer") + " "
                + r.get("amount")).collect(Collectors.toCollection(TreeSet::new)));

        // One run on the workspace, started with the step's key and the run's input and output as abfss URIs.
        String key = JobSteps.key(runId, "transform", 1);
        assertEquals(1, runsOf(runId).size(), databricks.runs().toString());
        LocalDatabricks.SubmittedRun run = runsOf(runId).get(0);
        assertEquals(key, run.idempotencyToken());
        JsonNode parameters = run.task().path("notebook_task").path("base_parameters");
        assertEquals("abfss://landing@devstoreaccount1.dfs.core.windows.net/cleaned/orders-1.csv",
                parameters.path("input").asText());
        assertEquals("abfss://tributary-runs@devstoreaccount1.dfs.core.windows.net/" + runId
                + "/jobs/transform-1/output/", parameters.path("output").asText());
        assertEquals("local-cluster", run.request().path("tasks").path(0).path("existing_cluster_id").asText());
        JobRecord transform = record(storage, runId, "transform");
        assertEquals(JobPhase.SUCCEEDED, transform.state().phase());
        assertEquals("databricks", transform.handle().compute());
        assertEquals(String.valueOf(run.runId()), transform.handle().id());
        assertTrue(transform.state().link().startsWith(databricks.uri() + "/#job/"), transform.state().link());

        // After the commit: the training job, named by its key, with the train split's folder and the version.
        String trainKey = JobSteps.key(runId, "train", 1);
        JobRecord train = Eventually.await("the training job to end", Duration.ofSeconds(60),
                () -> recorded(storage, runId, "train").filter(JobRecord::isOver));
        assertEquals(JobPhase.SUCCEEDED, train.state().phase(), train.toString());
        // (Another test's runs may still be checked by this host: the queues outlive a test.)
        List<StandInServer.Request> puts = azureml.requests().stream().filter(r -> r.method().equals("PUT")
                && r.path().endsWith("/" + trainKey)).toList();
        assertEquals(1, puts.size(), azureml.requests().toString());
        assertEquals(WORKSPACE + "/jobs/" + trainKey, puts.get(0).path());
        JsonNode inputs = Json.MAPPER.readTree(puts.get(0).body()).path("properties").path("inputs");
        assertEquals(storage.blobs().getAccountUrl() + "/training/cleaned/" + runId + "/train/",
                inputs.path("training_data").path("uri").asText());
        assertEquals(runId.toString(), inputs.path("version").path("value").asText());
        assertEquals("committed", history.status(runId).orElseThrow().outcome().orElseThrow().status().text());
    }

    @Test
    void aJobThatFailsFailsItsRunWithTheEnginesStateMessageAndLinkAndAResumeStartsASecondAttempt() throws Exception {
        StorageClients storage = start();
        RunHistory history = new RunHistory(new RunStore(new AzureBlobStore(storage.blobs())));
        Path file = Files.writeString(dir.resolve("orders.csv"), ORDERS);
        RunId runId = StorageFaultsIT.drop(storage, file, "broken/orders-1.csv", "broken");

        RunOutcome outcome = StorageFaultsIT.awaitOutcome(history, runId, log);
        assertEquals(RunState.FAILED, outcome.status());
        String error = outcome.error();
        assertTrue(error.startsWith("job failed: the transform job on databricks ended TERMINATED/FAILED: "
                + "broken_orders.sql: "), error);
        assertTrue(error.contains("no_such_table"), error);
        assertTrue(error.contains("; see " + databricks.uri() + "/#job/"), error);
        assertEquals(Optional.empty(), history.manifest("broken", runId));
        assertEquals(0, azureml.requests().stream().filter(r -> r.path().contains(runId.toString().toLowerCase(
                java.util.Locale.ROOT))).count(), "no job after a commit that did not happen");

        // Fixed, the run is resumed: its job step starts a second attempt on purpose, with a key of its own.
        Files.writeString(dir.resolve("jobs/broken_orders.sql"), Files.readString(dir.resolve("jobs/clean_orders.sql")));
        RunStore runs = new RunStore(new AzureBlobStore(storage.blobs()));
        new io.tributary.start.Reruns(runs, new io.tributary.storage.AzureStageQueue(storage),
                java.time.Clock.systemUTC()).resume(runId);
        Eventually.await("the resumed run to commit", Duration.ofSeconds(60), () -> history.manifest("broken", runId));
        assertEquals(List.of(JobSteps.key(runId, "transform", 1), JobSteps.key(runId, "transform", 2)),
                runsOf(runId).stream().map(LocalDatabricks.SubmittedRun::idempotencyToken).toList());
        assertEquals(JobPhase.FAILED, record(storage, runId, "transform").state().phase(), "attempt 1 stays as it ended");
        assertEquals(5, history.manifest("broken", runId).orElseThrow().rows().out());
    }

    @Test
    void aCancelledRunFailsAsCancelledAndItsRunningJobIsCancelledOnItsCompute() throws Exception {
        StorageClients storage = start();
        RunStore runs = new RunStore(new AzureBlobStore(storage.blobs()));
        RunHistory history = new RunHistory(runs);
        Path file = Files.writeString(dir.resolve("orders.csv"), ORDERS);
        RunId runId = StorageFaultsIT.drop(storage, file, "waiting/orders-1.csv", "waiting");
        Eventually.await("the job to be checked twice", Duration.ofSeconds(60),
                () -> recorded(storage, runId, "transform").filter(r -> r.checks() >= 2));

        RunCancels.Asked asked = new RunCancels(runs, java.time.Clock.systemUTC()).cancel(runId, "the test");
        assertTrue(asked.isNew());
        assertEquals(false, new RunCancels(runs, java.time.Clock.systemUTC()).cancel(runId, "the test again").isNew());

        RunOutcome outcome = StorageFaultsIT.awaitOutcome(history, runId, log);
        assertEquals(RunState.FAILED, outcome.status());
        long databricksRun = runsOf(runId).get(0).runId();
        assertEquals(asked.request().reason() + "; the transform job (" + databricksRun + " on databricks) was "
                + "cancelled too", outcome.error());
        assertEquals(1, databricks.requests().stream().filter(r -> r.path().endsWith("/runs/cancel")
                && r.body().contains("\"run_id\":" + databricksRun)).count(), databricks.requests().toString());
        assertEquals(Optional.empty(), history.manifest("waiting", runId));
        IllegalStateException ended = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new RunCancels(runs, java.time.Clock.systemUTC()).cancel(runId, "the test"));
        assertTrue(ended.getMessage().startsWith("run " + runId + " already failed at "), ended.getMessage());
    }

    /** The workspace's runs of {@code runId}'s steps (a test's host may still check another test's runs). */
    private List<LocalDatabricks.SubmittedRun> runsOf(RunId runId) {
        String prefix = "t-" + runId.toString().toLowerCase(java.util.Locale.ROOT) + "-";
        return databricks.runs().stream().filter(r -> r.idempotencyToken() != null
                && r.idempotencyToken().startsWith(prefix)).toList();
    }

    private static Optional<JobRecord> recorded(StorageClients storage, RunId runId, String step) {
        var blob = storage.blobs().getBlobContainerClient(RunLayout.RUNS).getBlobClient(RunLayout.jobRecord(runId, step, 1));
        return blob.exists() ? Optional.of(record(storage, runId, step)) : Optional.empty();
    }

    private static JobRecord record(StorageClients storage, RunId runId, String step) {
        return Json.read(storage.blobs().getBlobContainerClient(RunLayout.RUNS)
                .getBlobClient(RunLayout.jobRecord(runId, step, 1)).downloadContent().toBytes(), JobRecord.class);
    }
}
