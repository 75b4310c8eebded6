package io.tributary.cli;

import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobClient;
import io.tributary.functions.AppInjector;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.Rerun;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.history.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.start.Reruns;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison and rerun through the local host and the command line: a transform that keeps failing (its work dir is a
 * file, not a directory) ends in the poison queue and fails its run; once the cause is fixed, {@code tributary rerun}
 * resumes the run and it commits. A run that failed at extract (a lookup reference missing) reruns once the reference
 * is uploaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RerunIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final HostJson FAST = new HostJson(4, 2, 2, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    static Path project;
    static Path work;
    static StorageClients storage;
    static RunStore runs;
    static LocalHost host;

    @BeforeAll
    static void startHost() throws Exception {
        project = AZURITE.dataDir().resolve("rerun-project");
        Files.createDirectories(project.resolve("pipeline-defs"));
        // The transform's work dir is a file: every transform attempt fails until it is made a directory.
        work = project.resolve("work");
        Files.writeString(work, "not a directory");
        Files.writeString(project.resolve("local.settings.json"), Json.compact(Map.of("IsEncrypted", false,
                "Values", Map.of("AzureWebJobsStorage", AZURITE.connectionString(),
                        "TRIBUTARY_SCHEDULE_TICK", "0 * * * * *", "TRIBUTARY_WORK_DIR", work.toString()))));
        Files.writeString(project.resolve("pipeline-defs/ids.json"), """
                {"schemaVersion": 1, "name": "ids", "trigger": {"type": "fileDrop", "path": "ids/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}""");
        Files.writeString(project.resolve("pipeline-defs/shops.json"), """
                {"schemaVersion": 1, "name": "shops", "trigger": {"type": "fileDrop", "path": "shops/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "shop_id", "type": "string"}, {"name": "units", "type": "long"}],
                 "steps": [{"op": "lookup", "from": "reference/rerun-shops.csv", "on": ["shop_id"],
                            "columns": {"region": "string"}}]}""");
        Files.writeString(project.resolve("pipeline-defs/regions.json"), """
                {"schemaVersion": 1, "name": "regions", "trigger": {"type": "fileDrop", "path": "regions/*.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "shop_id", "type": "string"}],
                 "steps": [{"op": "lookup", "from": "reference/never-uploaded.csv", "on": ["shop_id"],
                            "columns": {"region": "string"}}]}""");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", project.resolve("pipeline-defs").toString(),
                "TRIBUTARY_WORK_DIR", work.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 * * * * *"));
        storage = AZURITE.clients();
        AppInjector injector = new AppInjector();
        storage.createContainer("reference");
        runs = new RunStore(new AzureBlobStore(storage.blobs()));
        host = new LocalHost(storage, FAST, new HostLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false), "rerun-it-host", -1, injector);
        host.start();
        injector.app(); // built now, with the host's maxDequeueCount and this project's settings
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
        if (!Files.isDirectory(work)) {
            Files.deleteIfExists(work);
            Files.createDirectories(work);
        }
    }

    private static RunId drop(String name, String content) {
        BlobClient blob = storage.blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient(name);
        blob.upload(com.azure.core.util.BinaryData.fromString(content), true);
        var properties = blob.getProperties();
        return RunId.forDrop(name.substring(0, name.indexOf('/')), new BlobRef(RunLayout.LANDING, name,
                properties.getETag()), properties.getLastModified().toInstant());
    }

    private static RunOutcome awaitOutcome(RunId runId) {
        return Eventually.await("run " + runId + " to end", TIMEOUT, () -> runs.outcome(runId));
    }

    private static boolean training(String name) {
        return storage.blobs().getBlobContainerClient(RunLayout.TRAINING).getBlobClient(name).exists();
    }

    @Test
    @Order(1)
    void aTransformThatKeepsFailingIsPoisonedFailsItsRunAndResumesOnceFixed() throws Exception {
        RunId runId = drop("ids/batch-1.csv", "id,name\n1,ada\n2,grace\n");

        RunOutcome failed = awaitOutcome(runId);

        assertEquals(RunState.FAILED, failed.status());
        assertEquals(Stage.TRANSFORM, failed.stage());
        assertEquals(0, failed.chunk());
        assertTrue(failed.error().startsWith("cannot use " + work), failed.error());
        String poisoned = Eventually.await("the transform message in poison", Duration.ofSeconds(20), () ->
                storage.queue(RunLayout.TRANSFORM_QUEUE + "-poison").peekMessages(32, null, null).stream()
                        .map(m -> m.getBody().toString()).filter(b -> b.contains(runId.text())).findFirst());
        TransformMessage message = Json.message(poisoned, TransformMessage.class);
        assertEquals(List.of(runId, 0, 1), List.of(message.runId(), message.chunk(), message.chunks()));
        assertFalse(training(RunLayout.manifest("ids", runId)), "a failed run has no manifest");
        assertFalse(training(RunLayout.latest("ids")), "a failed run never moves latest.json");
        CommandLineIT.Result status = CommandLineIT.run(project, "status", runId.text());
        assertEquals(1, status.status(), status.out() + status.err());
        String outcomeLine = status.out().lines().filter(l -> l.startsWith("  failed at ")).findFirst().orElseThrow();
        assertTrue(outcomeLine.contains(", in transform chunk 0: cannot use " + work), outcomeLine);

        // Fix the cause, then resume: transform chunk 0 again, nothing else.
        Files.delete(work);
        Files.createDirectories(work);
        CommandLineIT.Result rerun = CommandLineIT.run(project, "rerun", runId.text(), "--wait", "--timeout", "90");

        assertEquals(0, rerun.status(), rerun.out() + rerun.err());
        assertEquals("Resuming run " + runId + " from transform chunk 0; 0 of 1 chunks done (it failed in transform "
                + "chunk 0: " + failed.error() + ")", rerun.out().lines().findFirst().orElseThrow());
        assertEquals(List.of("  transform 0 succeeded", "  store succeeded", "Run " + runId + " of ids committed: "
                + "dataset training/ids/" + runId + "/ — 2 rows"), rerun.out().lines().skip(1)
                .map(l -> l.replaceAll(" in [0-9.]+ s$", "")).toList(), "only what the rerun did, not the failed attempts");
        RunOutcome committed = runs.outcome(runId).orElseThrow();
        assertEquals(RunState.COMMITTED, committed.status());
        Manifest manifest = new RunHistory(runs).manifest("ids", runId).orElseThrow();
        assertEquals(2, manifest.rows().out());
        assertEquals(List.of("data/part-00000.parquet"), manifest.files().stream().map(Manifest.DataFile::path).toList());
        LatestPointer latest = new RunHistory(runs).latest("ids").orElseThrow();
        assertEquals(runId, latest.runId());
        List<Rerun> reruns = new Reruns(runs, (q, m) -> { }, java.time.Clock.systemUTC()).of(runId);
        assertEquals(1, reruns.size());
        assertEquals(List.of(Rerun.RESUME, runId, Stage.TRANSFORM, 0), List.of(reruns.get(0).kind(), reruns.get(0).runId(),
                reruns.get(0).failed().stage(), reruns.get(0).failed().chunk()));

        CommandLineIT.Result again = CommandLineIT.run(project, "rerun", runId.text());
        assertEquals(1, again.status(), again.out() + again.err());
        assertEquals("tributary rerun: already committed: run " + runId + " of ids committed at " + committed.at()
                + "; its dataset is training/ids/" + runId + "/", again.err().lines().findFirst().orElseThrow());
    }

    @Test
    @Order(2)
    void aRunThatFailedForAMissingLookupReferenceCommitsWhenRerunAfterTheUpload() throws Exception {
        RunId runId = drop("shops/sales.csv", "shop_id,units\nS1,3\nS2,5\nS1,1\n");

        RunOutcome failed = awaitOutcome(runId);

        assertEquals(List.of("failed", "extract", -1), List.of(failed.status().text(), failed.stage().text(), failed.chunk()));
        assertEquals("the lookup reference 'reference/rerun-shops.csv' does not exist; upload it (or fix the lookup's "
                + "\"from\"), then start the run again", failed.error());
        assertFalse(training(RunLayout.manifest("shops", runId)));

        Path reference = project.resolve("rerun-shops.csv");
        Files.writeString(reference, "shop_id,region\nS1,north\nS2,south\n");
        CommandLineIT.Result upload = CommandLineIT.run(project, "upload", reference.toString(),
                "reference/rerun-shops.csv");
        assertEquals(0, upload.status(), upload.out() + upload.err());
        CommandLineIT.Result rerun = CommandLineIT.run(project, "rerun", runId.text());
        CommandLineIT.Result twice = CommandLineIT.run(project, "rerun", runId.text());

        assertEquals(0, rerun.status(), rerun.out() + rerun.err());
        assertEquals("Resuming run " + runId + " from extract; no chunks planned yet (it failed in extract: "
                + failed.error() + ")", rerun.out().lines().findFirst().orElseThrow());
        assertEquals(1, twice.status(), twice.out() + twice.err());
        String refusal = twice.err().lines().findFirst().orElseThrow();
        assertTrue(refusal.equals("tributary rerun: run " + runId + " is still in flight (resumed): only a failed run "
                + "can be rerun; 'tributary status " + runId + "' follows it")
                || refusal.startsWith("tributary rerun: already committed: run " + runId), refusal);
        assertEquals(RunState.COMMITTED, awaitOutcome(runId).status());
        Manifest manifest = new RunHistory(runs).manifest("shops", runId).orElseThrow();
        assertEquals(3, manifest.rows().out());
        assertEquals(List.of(new BlobRef("reference", "rerun-shops.csv",
                storage.blobs().getBlobContainerClient("reference").getBlobClient("rerun-shops.csv").getProperties()
                        .getETag())), manifest.references());
        assertEquals(1, new Reruns(runs, (q, m) -> { }, java.time.Clock.systemUTC()).of(runId).size(),
                "asked twice, rerun once");
    }

    @Test
    @Order(3)
    void runWaitSaysWhereAndWhyARunFailedAndExitsNonZero() throws Exception {
        Path input = project.resolve("regions-input.csv");
        Files.writeString(input, "shop_id\nS1\n");

        CommandLineIT.Result run = CommandLineIT.run(project, "run", "regions", "--input", input.toString(), "--wait",
                "--timeout", "90");

        assertEquals(1, run.status(), run.out() + run.err());
        String runId = run.out().lines().findFirst().orElseThrow().replaceAll("^Started run (\\S+) .*", "$1");
        assertTrue(RunId.isValid(runId), run.out());
        assertEquals("Run " + runId + " of regions failed in extract: the lookup reference "
                + "'reference/never-uploaded.csv' does not exist; upload it (or fix the lookup's \"from\"), then start "
                + "the run again; 'tributary status " + runId + "' shows every stage",
                run.out().lines().reduce((a, b) -> b).orElseThrow());
    }
}
