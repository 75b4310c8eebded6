package io.tributary.stage;

import io.tributary.definition.output.SplitName;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.Stage;
import io.tributary.settings.Settings;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.history.RunHistory;
import io.tributary.port.BlobStore;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.RunStarter;
import io.tributary.start.ScheduleMarks;
import io.tributary.start.ScheduleStage;
import io.tributary.start.WindowStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages.RecordingQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages one at a time, on Azurite through the real blob store, with the hand-offs recorded: each
 * stage is idempotent, and the commit rules hold.
 */
class StagesIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final String DEFINITION = """
            {"schemaVersion": 1, "name": "events", "trigger": {"type": "fileDrop", "path": "events/*.csv"},
             "schedule": {"cron": "0 0 * * * *"},
             "source": {"format": "csv", "blob": "reference/events.csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "kind", "type": "string"}],
             "steps": [{"op": "filter", "where": "kind <> 'noise'"}]}""";

    static BlobStore blobs;
    static PipelineDefinition events;
    static io.tributary.storage.StorageClients clients;

    @BeforeAll
    static void connect() {
        clients = AZURITE.clients();
        blobs = new AzureBlobStore(clients.blobs());
        events = DefinitionReader.read("events.json", DEFINITION, "events").definition().orElseThrow();
    }

    private static BlobRef upload(Path dir, String container, String name, String content) throws Exception {
        Path file = dir.resolve("upload.csv");
        Files.writeString(file, content);
        clients.createContainer(container);
        blobs.upload(container, name, file);
        return new BlobRef(container, name, blobs.properties(container, name).orElseThrow().etag());
    }

    /** A run started by a drop of {@code source}, its hand-offs recorded. */
    record DropRun(RunStore runs, RecordingQueue queue, RunId runId) {
    }

    private static DropRun startDrop(PipelineDefinition pipeline, BlobRef source, String lastModified) {
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        RunId runId = RunId.forDrop(pipeline.name(), source, Instant.parse(lastModified));
        new RunStarter(runs, queue, Clock.systemUTC()).start(pipeline, runId, source, "fileDrop", Map.of());
        return new DropRun(runs, queue, runId);
    }

    private static ExtractStage extractStage(RunStore runs, StageQueue queue, Path dir) {
        return new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(runs, name -> Optional.empty(), dir.resolve("work")), dir.resolve("work"),
                Clock.systemUTC());
    }

    private static TransformStage transformStage(RunStore runs, StageQueue queue, Path dir) {
        return new TransformStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT), dir.resolve("work"),
                Clock.systemUTC());
    }

    @Test
    void transformingAChunkTwiceHandsTheRunToStoreOnce(@TempDir Path dir) throws Exception {
        BlobRef source = upload(dir, RunLayout.LANDING, "events/a.csv", "id,kind\n1,click\n2,noise\n3,view\n");
        DropRun run = startDrop(events, source, "2026-11-22T06:00:00Z");
        RunStore runs = run.runs();
        RecordingQueue queue = run.queue();
        RunId runId = run.runId();
        TransformStage transform = transformStage(runs, queue, dir);
        TransformMessage chunk = new TransformMessage(runId, "events", source, 0, 1, 0,
                blobs.properties(RunLayout.LANDING, "events/a.csv").orElseThrow().size(), List.of());

        transform.handle(chunk, false);
        transform.handle(chunk, false);

        List<StageMessage> stores = queue.sent().stream().filter(m -> m instanceof StoreMessage).toList();
        assertEquals(List.of(new StoreMessage(runId, "events", 1)), stores);
        assertEquals(1, blobs.list(RunLayout.RUNS, RunLayout.chunksPrefix(runId)).size());

        StoreStage store = new StoreStage(runs, Clock.systemUTC());
        store.handle(new StoreMessage(runId, "events", 1), false);
        String manifest = new String(blobs.read(RunLayout.TRAINING, RunLayout.manifest("events", runId)).orElseThrow()
                .content(), StandardCharsets.UTF_8);
        store.handle(new StoreMessage(runId, "events", 1), false);
        assertEquals(manifest, new String(blobs.read(RunLayout.TRAINING, RunLayout.manifest("events", runId))
                .orElseThrow().content(), StandardCharsets.UTF_8), "a second store leaves the manifest as it was");
        assertTrue(manifest.contains("\"out\" : 2"), manifest);
        assertEquals(RunState.COMMITTED, runs.outcome(runId).orElseThrow().status());
    }

    /** A queue whose first send fails, as a crash between a claim and its message would leave things. */
    static final class FailingOnceQueue implements StageQueue {
        final RecordingQueue sent = new RecordingQueue();
        boolean failed;

        @Override
        public void send(String queue, StageMessage message) {
            if (!failed) {
                failed = true;
                throw new IllegalStateException("the queue is unreachable");
            }
            sent.send(queue, message);
        }
    }

    @Test
    void aHandOffLostAfterItsClaimIsSentByTheNextDelivery(@TempDir Path dir) throws Exception {
        BlobRef source = upload(dir, RunLayout.LANDING, "events/e.csv", "id,kind\n1,click\n");
        RunStore runs = new RunStore(blobs);
        RunId runId = RunId.forDrop("events", source, Instant.parse("2026-11-22T05:00:00Z"));
        FailingOnceQueue starts = new FailingOnceQueue();
        RunStarter starter = new RunStarter(runs, starts, Clock.systemUTC());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> starter.start(events, runId, source, "fileDrop", Map.of()));

        RunStarter.Started again = starter.start(events, runId, source, "fileDrop", Map.of());
        RunStarter.Started third = starter.start(events, runId, source, "fileDrop", Map.of());

        assertFalse(again.isNew());
        assertFalse(third.isNew());
        assertEquals(List.of(new io.tributary.run.ExtractMessage(runId, "events", source)), starts.sent.sent());

        FailingOnceQueue transforms = new FailingOnceQueue();
        TransformStage transform = transformStage(runs, transforms, dir);
        TransformMessage chunk = new TransformMessage(runId, "events", source, 0, 1, 0, 17, List.of());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> transform.handle(chunk, false));
        assertTrue(runs.chunkDone(runId, 0));

        transform.handle(chunk, false);
        transform.handle(chunk, false);

        assertEquals(List.of(new StoreMessage(runId, "events", 1)), transforms.sent.sent());
    }

    @Test
    void aSplitRunCommitsOneFolderPerSplitAndCountsThemInTheManifest(@TempDir Path dir) throws Exception {
        PipelineDefinition split = DefinitionReader.read("split.json", Files.readString(Path.of(
                System.getProperty("tributary.root", "."), "functions/src/test/resources/definitions/valid/split.json")),
                null).definition().orElseThrow();
        StringBuilder csv = new StringBuilder("customer,n\n");
        for (int row = 0; row < 500; row++) {
            csv.append("C-").append(row % 100).append(',').append(row).append('\n');
        }
        BlobRef source = upload(dir, RunLayout.LANDING, "split/a.csv", csv.toString());
        DropRun run = startDrop(split, source, "2026-11-22T07:00:00Z");
        RunStore runs = run.runs();
        RecordingQueue queue = run.queue();
        RunId runId = run.runId();
        transformStage(runs, queue, dir).handle(new TransformMessage(runId, "split", source, 0, 1, 0,
                blobs.properties(RunLayout.LANDING, "split/a.csv").orElseThrow().size(), List.of()), false);
        new StoreStage(runs, Clock.systemUTC()).handle(new StoreMessage(runId, "split", 1), false);

        io.tributary.run.Manifest manifest = new RunHistory(runs).manifest("split", runId).orElseThrow();
        assertEquals(List.of("train", "validation", "test"), manifest.splits().keySet().stream().map(SplitName::text).toList());
        assertEquals(500, manifest.splits().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(manifest.files().stream().map(f -> f.split() + "/MLTable").toList(), manifest.mlTables());
        for (String mlTable : manifest.mlTables()) {
            String text = new String(blobs.read(RunLayout.TRAINING, RunLayout.datasetFolder("split", runId) + mlTable)
                    .orElseThrow().content(), StandardCharsets.UTF_8);
            assertTrue(text.contains("type: mltable") && text.contains("- pattern: ./*.parquet")
                    && text.contains("- read_parquet"), text);
        }
        for (io.tributary.run.Manifest.DataFile file : manifest.files()) {
            assertEquals(file.split() + "/part-00000.parquet", file.path());
            assertEquals(manifest.splits().get(file.split()), file.rows());
            assertTrue(blobs.properties(RunLayout.TRAINING, RunLayout.datasetFolder("split", runId) + file.path())
                    .isPresent(), file.path());
        }
    }

    @Test
    void latestMovesOnlyForwards(@TempDir Path dir) throws Exception {
        PipelineDefinition pipeline = DefinitionReader.read("ordered.json",
                DEFINITION.replace("\"events\"", "\"ordered\""), "ordered").definition().orElseThrow();
        BlobRef source = upload(dir, RunLayout.LANDING, "events/b.csv", "id,kind\n1,click\n");
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        RunId older = RunId.forDrop("ordered", source, Instant.parse("2026-11-22T01:00:00Z"));
        RunId newer = RunId.forDrop("ordered", source, Instant.parse("2026-11-22T02:00:00Z"));
        RunStarter starter = new RunStarter(runs, queue, Clock.systemUTC());
        TransformStage transform = transformStage(runs, queue, dir);
        StoreStage store = new StoreStage(runs, Clock.systemUTC());
        long size = blobs.properties(RunLayout.LANDING, "events/b.csv").orElseThrow().size();
        for (RunId runId : List.of(newer, older)) {
            starter.start(pipeline, runId, source, "fileDrop", Map.of());
            transform.handle(new TransformMessage(runId, "ordered", source, 0, 1, 0, size, List.of()), false);
            store.handle(new StoreMessage(runId, "ordered", 1), false);
        }
        LatestPointer latest = Json.read(blobs.read(RunLayout.TRAINING, RunLayout.latest("ordered")).orElseThrow()
                .content(), LatestPointer.class);
        assertEquals(newer, latest.runId());
        assertTrue(blobs.read(RunLayout.TRAINING, RunLayout.manifest("ordered", older)).isPresent());
    }

    @Test
    void aSourceOverwrittenBeforeExtractFailsTheRunWithTheReason(@TempDir Path dir) throws Exception {
        BlobRef first = upload(dir, RunLayout.LANDING, "events/c.csv", "id,kind\n1,click\n");
        upload(dir, RunLayout.LANDING, "events/c.csv", "id,kind\n1,click\n2,view\n");
        DropRun run = startDrop(events, first, "2026-11-22T03:00:00Z");
        RunStore runs = run.runs();
        RecordingQueue queue = run.queue();
        RunId runId = run.runId();

        extractStage(runs, queue, dir).handle((io.tributary.run.ExtractMessage) queue.sent().get(0), false);

        RunOutcome outcome = runs.outcome(runId).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.EXTRACT, outcome.stage());
        assertTrue(outcome.error().contains("was overwritten before the run read it"), outcome.error());
        assertEquals(1, queue.sent().size(), "nothing handed on: " + queue.sent());
    }

    static final String LOOKUP = """
            {"schemaVersion": 1, "name": "sited", "trigger": {"type": "fileDrop", "path": "sited/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "device", "type": "string"}],
             "steps": [{"op": "lookup", "from": "reference/sited/devices.csv", "on": {"device": "device_id"},
                        "columns": {"site": "string"}}]}""";

    @Test
    void aLookupJoinsTheReferenceVersionPinnedWhenTheRunWasPlanned(@TempDir Path dir) throws Exception {
        PipelineDefinition sited = DefinitionReader.read("sited.json", LOOKUP, "sited").definition().orElseThrow();
        BlobRef reference = upload(dir, "reference", "sited/devices.csv", "device_id,site\nd-1,Berlin\nd-2,Lyon\n");
        BlobRef source = upload(dir, RunLayout.LANDING, "sited/a.csv", "id,device\n1,d-2\n2,d-3\n");
        DropRun run = startDrop(sited, source, "2026-11-22T07:00:00Z");

        extractStage(run.runs(), run.queue(), dir)
                .handle((io.tributary.run.ExtractMessage) run.queue().sent().get(0), false);
        TransformMessage chunk = (TransformMessage) run.queue().sent().get(1);
        assertEquals(List.of(reference), chunk.references());
        transformStage(run.runs(), run.queue(), dir).handle(chunk, false);
        new StoreStage(run.runs(), Clock.systemUTC()).handle(new StoreMessage(run.runId(), "sited", 1), false);

        Manifest manifest = Json.read(blobs.read(RunLayout.TRAINING,
                RunLayout.manifest("sited", run.runId())).orElseThrow().content(), Manifest.class);
        assertEquals(List.of(reference), manifest.references());
        Path part = dir.resolve("part.parquet");
        Files.write(part, blobs.read(RunLayout.TRAINING, RunLayout.datasetFolder("sited", run.runId())
                + manifest.files().get(0).path()).orElseThrow().content());
        assertEquals(List.of(Map.of("id", 1L, "device", "d-2", "site", "Lyon"), nullSite(2L, "d-3")),
                io.tributary.testing.ParquetRows.read(part).stream()
                        .sorted(java.util.Comparator.comparing(r -> (Long) r.get("id"))).toList());
    }

    private static Map<String, Object> nullSite(long id, String device) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("id", id);
        row.put("device", device);
        row.put("site", null);
        return row;
    }

    @Test
    void aRunWithoutDeclaredColumnsInfersThemOnceAndRecordsThemInTheManifest(@TempDir Path dir) throws Exception {
        PipelineDefinition inferred = DefinitionReader.read("inferred.json", """
                {"schemaVersion": 1, "name": "inferred", "trigger": {"type": "fileDrop", "path": "inferred/*.csv"},
                 "source": {"format": "csv"}}""", "inferred").definition().orElseThrow();
        BlobRef source = upload(dir, RunLayout.LANDING, "inferred/a.csv", "id,score,seen\n1,0.5,2026-11-01\n2,x,\n");
        DropRun run = startDrop(inferred, source, "2026-11-22T09:00:00Z");

        extractStage(run.runs(), run.queue(), dir).handle((io.tributary.run.ExtractMessage) run.queue().sent().get(0), false);
        transformStage(run.runs(), run.queue(), dir).handle((TransformMessage) run.queue().sent().get(1), false);
        new StoreStage(run.runs(), Clock.systemUTC()).handle(new StoreMessage(run.runId(), "inferred", 1), false);

        Manifest manifest = Json.read(blobs.read(RunLayout.TRAINING, RunLayout.manifest("inferred", run.runId()))
                .orElseThrow().content(), Manifest.class);
        assertEquals("inferred", manifest.sourceSchema().origin());
        assertEquals(List.of("id:long", "score:string", "seen:date"), manifest.sourceSchema().columns().stream()
                .map(c -> c.name() + ":" + c.type()).toList());
        assertEquals(new Manifest.Rows(2, 2, 0), manifest.rows());
    }

    @Test
    void aReferenceChangedAfterTheRunWasPlannedFailsItsChunkSayingSo(@TempDir Path dir) throws Exception {
        PipelineDefinition sited = DefinitionReader.read("sited.json", LOOKUP, "sited").definition().orElseThrow();
        upload(dir, "reference", "sited/devices.csv", "device_id,site\nd-1,Berlin\n");
        BlobRef source = upload(dir, RunLayout.LANDING, "sited/c.csv", "id,device\n1,d-1\n");
        DropRun run = startDrop(sited, source, "2026-11-22T10:00:00Z");
        extractStage(run.runs(), run.queue(), dir).handle((io.tributary.run.ExtractMessage) run.queue().sent().get(0), false);
        upload(dir, "reference", "sited/devices.csv", "device_id,site\nd-1,Bonn\n");

        transformStage(run.runs(), run.queue(), dir).handle((TransformMessage) run.queue().sent().get(1), false);

        RunOutcome outcome = run.runs().outcome(run.runId()).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals("the lookup reference 'reference/sited/devices.csv' was changed or deleted after the run was "
                + "planned, so its chunks could join different rows; start the run again", outcome.error());
    }

    @Test
    void aCommitLeavesOnlyWhatItsManifestLists(@TempDir Path dir) throws Exception {
        BlobRef source = upload(dir, RunLayout.LANDING, "events/orphans.csv", "id,kind\n1,click\n");
        DropRun run = startDrop(events, source, "2026-11-22T11:00:00Z");
        transformStage(run.runs(), run.queue(), dir).handle(new TransformMessage(run.runId(), "events", source, 0, 1, 0,
                blobs.properties(RunLayout.LANDING, "events/orphans.csv").orElseThrow().size(), List.of()), false);
        String folder = RunLayout.datasetFolder("events", run.runId());
        // What an attempt that died after uploading but before recording its chunk would leave behind.
        upload(dir, RunLayout.TRAINING, folder + "data/part-00000-1.parquet", "not part of the dataset");

        new StoreStage(run.runs(), Clock.systemUTC()).handle(new StoreMessage(run.runId(), "events", 1), false);

        assertEquals(List.of(folder + "_manifest.json", folder + "data/MLTable", folder + "data/part-00000.parquet"),
                blobs.list(RunLayout.TRAINING, folder));
    }

    @Test
    void aMissingLookupReferenceFailsTheRunAtExtractSayingWhatToUpload(@TempDir Path dir) throws Exception {
        PipelineDefinition sited = DefinitionReader.read("sited.json", LOOKUP.replace("reference/sited/devices.csv",
                "reference/sited/absent.csv"), "sited").definition().orElseThrow();
        BlobRef source = upload(dir, RunLayout.LANDING, "sited/b.csv", "id,device\n1,d-2\n");
        DropRun run = startDrop(sited, source, "2026-11-22T08:00:00Z");

        extractStage(run.runs(), run.queue(), dir)
                .handle((io.tributary.run.ExtractMessage) run.queue().sent().get(0), false);

        RunOutcome outcome = run.runs().outcome(run.runId()).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals("the lookup reference 'reference/sited/absent.csv' does not exist; upload it (or fix the lookup's "
                + "\"from\"), then start the run again", outcome.error());
        assertEquals(1, run.queue().sent().size(), "nothing handed on: " + run.queue().sent());
    }

    @Test
    void aFailedAttemptIsReportedAndTheLastOneFailsTheRun(@TempDir Path dir) throws Exception {
        BlobRef source = upload(dir, RunLayout.LANDING, "events/d.csv", "id,kind\n1,click\n");
        DropRun run = startDrop(events, source, "2026-11-22T04:00:00Z");
        RunStore runs = run.runs();
        RecordingQueue queue = run.queue();
        RunId runId = run.runId();
        blobs.put(RunLayout.RUNS, RunLayout.definition(runId), "{ not a definition".getBytes(StandardCharsets.UTF_8));
        TransformStage transform = transformStage(runs, queue, dir);
        TransformMessage chunk = new TransformMessage(runId, "events", source, 0, 1, 0, 17, List.of());

        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> transform.handle(chunk, false));
        assertTrue(runs.outcome(runId).isEmpty(), "a retry may still succeed");
        var report = new RunHistory(runs).status(runId).orElseThrow().stages().get(0);
        assertEquals(StageStatus.FAILED, report.status());
        assertTrue(report.error().startsWith("the definition snapshot of run " + runId),
                report.error());

        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> transform.handle(chunk, true));
        RunOutcome outcome = runs.outcome(runId).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.TRANSFORM, outcome.stage());
        assertEquals(0, outcome.chunk());
        assertEquals(report.error(), outcome.error());
        assertTrue(blobs.read(RunLayout.TRAINING, RunLayout.manifest("events", runId)).isEmpty());
    }

    @Test
    void twoHostsTickingAtOnceStartEachOccurrencesRunOnce(@TempDir Path dir) throws Exception {
        clients.blobs().getBlobContainerClient("reference").createIfNotExists();
        upload(dir, "reference", "events.csv", "id,kind\n1,click\n");
        Path defs = dir.resolve("defs");
        Files.createDirectories(defs);
        Files.writeString(defs.resolve("events.json"), DEFINITION);
        RecordingQueue queue = new RecordingQueue();
        new ScheduleMarks(blobs).advance("events", Instant.parse("2026-11-22T04:00:00Z"));
        java.util.function.Supplier<ScheduleStage> host = () -> new ScheduleStage(
                () -> PipelineCatalog.load(defs, io.tributary.definition.DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)),
                new WindowStarter(new RunStarter(new RunStore(blobs), queue, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)),
                        blobs), new ScheduleMarks(blobs), name -> java.util.Optional.empty(), java.time.Duration.ofMinutes(1));
        Instant now = Instant.parse("2026-11-22T05:00:30Z");

        ScheduleStage.Tick tick = host.get().tick(now);
        ScheduleStage.Tick again = host.get().tick(now);

        RunId runId = RunId.forSchedule("events", Instant.parse("2026-11-22T05:00:00Z"));
        assertEquals(List.of(new RunStarter.Started(runId, "events", true)), tick.runs());
        assertEquals(List.of(), again.runs(), "the mark moved past 05:00: nothing is due");
        assertEquals(Instant.parse("2026-11-22T05:00:00Z"), new ScheduleMarks(blobs).read("events").orElseThrow());
        // A host that read the marks before the first one wrote its own: it sees none.
        blobs.delete(RunLayout.STATE, RunLayout.scheduleMark("events"));
        assertEquals(List.of(new RunStarter.Started(runId, "events", false)),
                new ScheduleStage(() -> PipelineCatalog.load(defs, io.tributary.definition.DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)),
                        new WindowStarter(new RunStarter(new RunStore(blobs), queue, Clock.systemUTC()), blobs),
                        new ScheduleMarks(blobs), name -> java.util.Optional.empty(), java.time.Duration.ofHours(2))
                        .tick(now).runs(),
                "a host that did not see the mark starts the same run id, which is started already");
        assertEquals(1, queue.sent().size());
        assertEquals(java.util.Map.of("windowStart", "2026-11-22T04:00:00Z", "windowEnd", "2026-11-22T05:00:00Z"),
                new RunStore(blobs).record(runId).orElseThrow().parameters());
        assertEquals(Instant.parse("2026-11-22T05:00:00Z"), new ScheduleMarks(blobs).read("events").orElseThrow());
    }
}
