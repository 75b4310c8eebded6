package io.tributary.stage;

import io.tributary.settings.Settings;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineCatalog;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.port.BlobStore;
import io.tributary.run.AfterCommitReport;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.FileDropStage;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.ParquetRows;
import io.tributary.testing.RunStages.RecordingQueue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drops in several shapes, from the blob landing to the commit, on Azurite: a gzip CSV whose name does not say so,
 * a Parquet file, captures from the path, an empty file ignored, and the dropped file archived after the commit.
 */
class FileDropsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static StorageClients clients;
    static BlobStore blobs;

    @BeforeAll
    static void connect() {
        clients = AZURITE.clients();
        clients.provision();
        blobs = new AzureBlobStore(clients.blobs());
    }

    private static Supplier catalog(Path dir, String... definitions) throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        for (String definition : definitions) {
            String name = definition.replaceAll("(?s)^.*?\"name\": \"([^\"]+)\".*", "$1");
            Files.writeString(defs.resolve(name + ".json"), definition);
        }
        PipelineCatalog catalog = PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.from(Settings::get));
        assertEquals(List.of(), catalog.problems());
        return () -> catalog;
    }

    interface Supplier extends java.util.function.Supplier<PipelineCatalog> {
    }

    private static void drop(Path dir, String name, byte[] content) throws Exception {
        Path file = dir.resolve("upload");
        Files.write(file, content);
        blobs.upload(RunLayout.LANDING, name, file);
    }

    /** Runs each stage the drop's run hands to, until it ends; returns its manifest. */
    private static Manifest runToCommit(Path dir, FileDropStage.Outcome outcome, RunStore runs, RecordingQueue queue) {
        assertEquals(1, outcome.runs().size(), outcome.explanation());
        RunId runId = outcome.runs().get(0).runId();
        ExtractStage extract = new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(runs, name -> java.util.Optional.empty(), dir.resolve("work")), dir.resolve("work"),
                Clock.systemUTC());
        TransformStage transform = new TransformStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT),
                dir.resolve("work"), Clock.systemUTC());
        StoreStage store = new StoreStage(runs, Clock.systemUTC());
        for (int i = 0; i < queue.sent().size(); i++) {
            StageMessage message = queue.sent().get(i);
            if (message instanceof ExtractMessage m) {
                extract.handle(m, true);
            } else if (message instanceof TransformMessage m) {
                transform.handle(m, true);
            } else if (message instanceof StoreMessage m) {
                store.handle(m, true);
            }
        }
        RunOutcome ended = runs.outcome(runId).orElseThrow();
        assertEquals(RunState.COMMITTED, ended.status(), String.valueOf(ended.error()));
        String pipeline = outcome.runs().get(0).pipeline();
        return Json.read(blobs.read(RunLayout.TRAINING, RunLayout.manifest(pipeline, runId)).orElseThrow().content(),
                Manifest.class);
    }

    private static List<Map<String, Object>> rows(Path dir, String pipeline, Manifest manifest) throws Exception {
        Path part = dir.resolve("part.parquet");
        String blob = RunLayout.datasetFolder(pipeline, manifest.runId()) + manifest.files().get(0).path();
        Files.write(part, blobs.read(RunLayout.TRAINING, blob).orElseThrow().content());
        return ParquetRows.read(part);
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aGzipCsvNamedCsvCommitsItsRowsAndThePathsCapturesAreExposed(@TempDir Path dir) throws Exception {
        Supplier catalog = catalog(dir, """
                {"schemaVersion": 1, "name": "tenants",
                 "trigger": {"type": "fileDrop", "path": "crm/{tenant}/contacts-{date}.csv"},
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}""");
        drop(dir, "crm/acme/contacts-2026-11-22.csv", gzip("id,email\n1,a@acme.io\n2,b@acme.io\nx,c@acme.io\n"));
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();

        FileDropStage.Outcome outcome = new FileDropStage(catalog, new RunStarter(runs, queue, Clock.systemUTC()), blobs)
                .drop("crm/acme/contacts-2026-11-22.csv", java.util.Optional.empty());

        assertEquals(Map.of("tenants", Map.of("tenant", "acme", "date", "2026-11-22")), outcome.captures());
        assertTrue(outcome.explanation().contains("with {tenant=acme, date=2026-11-22}"), outcome.explanation());
        Manifest manifest = runToCommit(dir, outcome, runs, queue);
        assertEquals(new Manifest.Rows(3, 2, 1), manifest.rows());
        assertEquals(List.of(Map.of("id", 1L, "email", "a@acme.io"), Map.of("id", 2L, "email", "b@acme.io")),
                rows(dir, "tenants", manifest));
        assertTrue(blobs.properties(RunLayout.LANDING, "crm/acme/contacts-2026-11-22.csv").isPresent(),
                "afterCommit leave keeps the file");
    }

    @Test
    void aParquetDropIsArchivedOnceCommitted(@TempDir Path dir) throws Exception {
        Supplier catalog = catalog(dir, """
                {"schemaVersion": 1, "name": "lake",
                 "trigger": {"type": "fileDrop", "path": "lake/**", "suffixes": [".parquet"], "afterCommit": "archive"},
                 "source": {"format": "parquet"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "score", "type": "double"}]}""");
        Path file = dir.resolve("drop.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES (0.5, 10::BIGINT), (0.25, 11)) t(score, id)) TO '" + file
                    + "' (FORMAT parquet)");
        }
        drop(dir, "lake/2026/scores.parquet", Files.readAllBytes(file));
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        FileDropStage stage = new FileDropStage(catalog, new RunStarter(runs, queue, Clock.systemUTC()), blobs);
        assertTrue(stage.drop("lake/2026/scores.txt", java.util.Optional.empty()).runs().isEmpty(),
                "the suffix filter leaves other files alone");

        FileDropStage.Outcome outcome = stage.drop("lake/2026/scores.parquet", java.util.Optional.empty());
        Manifest manifest = runToCommit(dir, outcome, runs, queue);

        assertEquals(new Manifest.Rows(2, 2, 0), manifest.rows());
        assertEquals(List.of(Map.of("id", 10L, "score", 0.5), Map.of("id", 11L, "score", 0.25)),
                rows(dir, "lake", manifest));
        assertFalse(blobs.properties(RunLayout.LANDING, "lake/2026/scores.parquet").isPresent());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(file),
                blobs.read(RunLayout.ARCHIVE, "lake/2026/scores.parquet").orElseThrow().content()));
        AfterCommitReport report = Json.read(blobs.read(RunLayout.RUNS, RunLayout.afterCommit(manifest.runId()))
                .orElseThrow().content(), AfterCommitReport.class);
        assertEquals("archived", report.status());
        assertEquals("moved to archive/lake/2026/scores.parquet", report.detail());

        // A store delivered again does it again, harmlessly.
        new StoreStage(runs, Clock.systemUTC()).handle(new StoreMessage(manifest.runId(), "lake", 1), false);
        assertEquals("archived", Json.read(blobs.read(RunLayout.RUNS, RunLayout.afterCommit(manifest.runId()))
                .orElseThrow().content(), AfterCommitReport.class).status());
    }

    @Test
    void aFileOverwrittenBeforeTheCommitIsNotDeletedAndAnEmptyFileStartsNoRun(@TempDir Path dir) throws Exception {
        Supplier catalog = catalog(dir, """
                {"schemaVersion": 1, "name": "deleting",
                 "trigger": {"type": "fileDrop", "path": "del/*.csv", "afterCommit": "delete"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""");
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        FileDropStage stage = new FileDropStage(catalog, new RunStarter(runs, queue, Clock.systemUTC()), blobs);

        drop(dir, "del/empty.csv", new byte[0]);
        FileDropStage.Outcome empty = stage.drop("del/empty.csv", java.util.Optional.empty());
        assertEquals(List.of(), empty.runs());
        assertEquals("landing/del/empty.csv: the file is empty (0 bytes), so deleting ignored it (set \"emptyFiles\": "
                + "\"run\" in its trigger to run on empty files)", empty.explanation());

        drop(dir, "del/a.csv", "id\n1\n".getBytes(StandardCharsets.UTF_8));
        FileDropStage.Outcome outcome = stage.drop("del/a.csv", java.util.Optional.empty());
        RunId runId = outcome.runs().get(0).runId();
        for (int i = 0; i < queue.sent().size(); i++) {
            StageMessage message = queue.sent().get(i);
            if (message instanceof ExtractMessage m) {
                new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                        SourceFetch.standard(runs, name -> java.util.Optional.empty(), dir.resolve("work")),
                        dir.resolve("work"), Clock.systemUTC()).handle(m, true);
            } else if (message instanceof TransformMessage m) {
                new TransformStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT), dir.resolve("work"),
                        Clock.systemUTC()).handle(m, true);
            }
        }
        drop(dir, "del/a.csv", "id\n1\n2\n".getBytes(StandardCharsets.UTF_8)); // a new version lands before the commit
        new StoreStage(runs, Clock.systemUTC()).handle(new StoreMessage(runId, "deleting", 1), true);

        assertEquals(RunState.COMMITTED, runs.outcome(runId).orElseThrow().status());
        assertTrue(blobs.properties(RunLayout.LANDING, "del/a.csv").isPresent(), "the new version stays");
        AfterCommitReport report = Json.read(blobs.read(RunLayout.RUNS, RunLayout.afterCommit(runId)).orElseThrow()
                .content(), AfterCommitReport.class);
        assertEquals("skipped", report.status());
        assertEquals("landing/del/a.csv was overwritten or removed after the run read it, so it was left as it is",
                report.detail());
    }

    @Test
    void aFileTwoPipelinesReadIsNotDeletedUnderTheOther(@TempDir Path dir) throws Exception {
        Supplier catalog = catalog(dir, """
                {"schemaVersion": 1, "name": "shared-a",
                 "trigger": {"type": "fileDrop", "path": "shared/*.csv", "afterCommit": "delete"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""", """
                {"schemaVersion": 1, "name": "shared-b",
                 "trigger": {"type": "fileDrop", "path": "shared/**", "afterCommit": "leave"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""");
        RunStore runs = new RunStore(blobs);
        RecordingQueue queue = new RecordingQueue();
        FileDropStage stage = new FileDropStage(catalog, new RunStarter(runs, queue, Clock.systemUTC()), blobs);
        drop(dir, "shared/a.csv", "id\n1\n".getBytes(StandardCharsets.UTF_8));
        FileDropStage.Outcome outcome = stage.drop("shared/a.csv", java.util.Optional.empty());
        assertEquals(2, outcome.runs().size(), outcome.explanation());
        RunId runOfA = outcome.runs().stream().filter(r -> r.pipeline().equals("shared-a")).findFirst().orElseThrow()
                .runId();
        for (int i = 0; i < queue.sent().size(); i++) {
            StageMessage message = queue.sent().get(i);
            if (message instanceof ExtractMessage m && m.pipeline().equals("shared-a")) {
                new ExtractStage(runs, queue, new SchemaProbe(EngineLimits.DEFAULT),
                        SourceFetch.standard(runs, name -> java.util.Optional.empty(), dir.resolve("work")),
                        dir.resolve("work"), Clock.systemUTC()).handle(m, true);
            } else if (message instanceof TransformMessage m) {
                new TransformStage(runs, queue, new ChunkTransformer(EngineLimits.DEFAULT), dir.resolve("work"),
                        Clock.systemUTC()).handle(m, true);
            }
        }
        new StoreStage(runs, Clock.systemUTC(), name -> catalog.get().listeningTo(name).stream()
                .map(io.tributary.definition.PipelineDefinition::name).toList())
                .handle(new StoreMessage(runOfA, "shared-a", 1), true);

        assertEquals(RunState.COMMITTED, runs.outcome(runOfA).orElseThrow().status());
        assertTrue(blobs.properties(RunLayout.LANDING, "shared/a.csv").isPresent(),
                "shared-b has not read it yet, so shared-a's delete leaves it");
        AfterCommitReport report = Json.read(blobs.read(RunLayout.RUNS, RunLayout.afterCommit(runOfA)).orElseThrow()
                .content(), AfterCommitReport.class);
        assertEquals("skipped", report.status());
        assertEquals("pipeline shared-b also reads this file, so it stays in landing for its runs; a file is moved or "
                + "deleted only when one pipeline reads it", report.detail());
    }
}
