package io.tributary.stage;

import io.tributary.settings.Settings;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.RunHistory;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.start.FileDropStage;
import io.tributary.start.ManualRuns;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, point 4 for files: a manual run of a file-drop pipeline without {@code source.blob}
 * ({@code ./tributary run PIPELINE}) sweeps its landing path and starts one run per file not loaded yet — the run the
 * file's drop starts, so a file is skipped by name and ETag — and, with {@code --full-refresh}, a new run for each
 * file. On Azurite; no blob listener runs, so only the sweep starts runs here.
 */
class LandingSweepIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "swept",
             "trigger": {"type": "fileDrop", "path": "sweep/{tenant}/*.csv", "afterCommit": "leave"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}""";
    private static final String WHERE = "landing/sweep/{tenant}/*.csv";

    static BlobStore blobs;

    @BeforeAll
    static void connect() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
    }

    private static void land(Path dir, String name, String content) throws Exception {
        Path file = dir.resolve("upload");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        blobs.upload(RunLayout.LANDING, name, file);
    }

    /** The run the drop of the file as it is now starts. */
    private static RunId dropRunId(String name) {
        BlobInfo info = blobs.properties(RunLayout.LANDING, name).orElseThrow();
        return RunId.forDrop("swept", new BlobRef(RunLayout.LANDING, name, info.etag()), info.lastModified());
    }

    private static ManualRuns.Request request(String id, boolean fullRefresh) {
        return new ManualRuns.Request(id, Map.of(), fullRefresh, Optional.empty());
    }

    private static Set<RunId> newRuns(ManualRuns.Outcome outcome) {
        return outcome.runs().stream().filter(RunStarter.Started::isNew).map(RunStarter.Started::runId)
                .collect(Collectors.toSet());
    }

    @Test
    void aManualRunLoadsEachFileNotLoadedYetOnceAndAFullRefreshLoadsThemAllAgain(@TempDir Path dir) throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("swept.json"), DEFINITION);
        PipelineCatalog catalog = PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.from(Settings::get));
        assertEquals(List.of(), catalog.problems());
        PipelineDefinition pipeline = catalog.all().get(0);
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        RunStarter starter = new RunStarter(stages.runs(), stages.queue(), Clock.systemUTC());
        ManualRuns manual = new ManualRuns(starter, stages.runs(), Clock.systemUTC());

        land(dir, "sweep/acme/contacts.csv", "id,email\n1,a@acme.io\n2,b@acme.io\n");
        land(dir, "sweep/globex/contacts.csv", "id,email\n3,c@globex.io\n");
        land(dir, "sweep/acme/empty.csv", "");
        land(dir, "sweep/acme/notes.txt", "not a csv: the path does not match");
        land(dir, "elsewhere/contacts.csv", "id,email\n9,z@x.io\n");
        RunId acme = dropRunId("sweep/acme/contacts.csv");
        RunId globex = dropRunId("sweep/globex/contacts.csv");

        ManualRuns.Outcome first = manual.start(pipeline, request("first", false));

        assertEquals(Set.of(acme, globex), newRuns(first), "one new run per file, the run its drop would start");
        assertEquals(2, first.runs().size());
        assertEquals("over each of the 2 new files in " + WHERE + "; 1 empty file skipped", first.explanation());
        assertEquals(Set.of("sweep/acme/contacts.csv", "sweep/globex/contacts.csv"),
                stages.queue().sent().stream().map(m -> ((ExtractMessage) m).source().name())
                        .collect(Collectors.toSet()));
        assertEquals(Map.of("tenant", "acme"), stages.runs().record(acme).orElseThrow().parameters(),
                "the path's captures are the run's parameters, as the drop's would be");
        assertEquals(RunState.COMMITTED, stages.runToEnd(acme).status());
        assertEquals(RunState.COMMITTED, stages.runToEnd(globex).status());
        Manifest loaded = new RunHistory(stages.runs()).manifest("swept", acme).orElseThrow();
        assertEquals(2, loaded.rows().out());

        FileDropStage drops = new FileDropStage(() -> catalog, starter, blobs);
        FileDropStage.Outcome late = drops.drop("sweep/acme/contacts.csv", Optional.empty());
        assertEquals(List.of(new RunStarter.Started(acme, "swept", false)), late.runs(),
                "the file's drop, seen after the sweep, finds its run started already");

        int sent = stages.queue().sent().size();
        ManualRuns.Outcome again = manual.start(pipeline, request("again", false));

        assertEquals(Set.of(), newRuns(again), "files loaded already are skipped by name and ETag");
        assertEquals("every file in " + WHERE + " (2 files) is loaded already, so nothing started; --full-refresh "
                + "loads them again; 1 empty file skipped", again.explanation());
        assertEquals(sent, stages.queue().sent().size(), "nothing is handed to extract");

        land(dir, "sweep/acme/contacts.csv", "id,email\n1,a@acme.io\n2,b@acme.io\n4,d@acme.io\n");
        RunId acmeAgain = dropRunId("sweep/acme/contacts.csv");
        assertNotEquals(acme, acmeAgain, "a new version of the file has another ETag");

        ManualRuns.Outcome overwritten = manual.start(pipeline, request("overwritten", false));

        assertEquals(Set.of(acmeAgain), newRuns(overwritten), "only the overwritten file runs again");
        assertEquals("over the 1 new file in " + WHERE + " (1 loaded already); 1 empty file skipped",
                overwritten.explanation());
        assertEquals(RunState.COMMITTED, stages.runToEnd(acmeAgain).status());
        assertEquals(3, new RunHistory(stages.runs()).manifest("swept", acmeAgain).orElseThrow().rows().out());

        ManualRuns.Outcome refreshed = manual.start(pipeline, request("refresh", true));

        Set<RunId> refreshRuns = newRuns(refreshed);
        assertEquals(2, refreshRuns.size(), "a full refresh starts a new run for each file: " + refreshed);
        assertEquals(2, refreshed.runs().size());
        assertFalse(refreshRuns.contains(acmeAgain) || refreshRuns.contains(globex), refreshRuns.toString());
        assertEquals("over each of the 2 files in " + WHERE + " (full refresh); 1 empty file skipped",
                refreshed.explanation());
        for (RunId runId : refreshRuns) {
            assertEquals("true", stages.runs().record(runId).orElseThrow().parameters().get(SourceFetch.FULL_REFRESH));
            assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status());
        }
    }

    @Test
    void aSweepOfAnEmptyLandingPathSaysWhereToDropFiles(@TempDir Path dir) throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("idle.json"), DEFINITION.replace("\"swept\"", "\"idle\"")
                .replace("sweep/", "idle/"));
        PipelineDefinition pipeline = PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)).all().get(0);
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        ManualRuns manual = new ManualRuns(new RunStarter(stages.runs(), stages.queue(), Clock.systemUTC()),
                stages.runs(), Clock.systemUTC());
        land(dir, "idle/acme/empty.csv", "");

        ManualRuns.Outcome outcome = manual.start(pipeline, request("idle", false));

        assertEquals(List.of(), outcome.runs());
        assertEquals("no file in landing/idle/{tenant}/*.csv; 1 empty file skipped; drop one there ('tributary drop "
                + "FILE') or give the data with --input FILE", outcome.explanation());
        assertEquals(List.of(), stages.queue().sent());
    }

    @Test
    void aFileWhoseRunFailedIsTriedAgainByTheNextSweepAndNotAfterItCommits(@TempDir Path dir) throws Exception {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("retried.json"), DEFINITION.replace("\"swept\"", "\"retried\"")
                .replace("sweep/", "retry/"));
        PipelineDefinition pipeline = PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.from(Settings::get)).all().get(0);
        RunStages stages = RunStages.on(blobs, dir, pipeline, name -> Optional.empty());
        ManualRuns manual = new ManualRuns(new RunStarter(stages.runs(), stages.queue(), Clock.systemUTC()),
                stages.runs(), Clock.systemUTC());
        land(dir, "retry/acme/contacts.csv", "id,email\n1,a@acme.io\n");
        BlobInfo info = blobs.properties(RunLayout.LANDING, "retry/acme/contacts.csv").orElseThrow();
        RunId dropRun = RunId.forDrop("retried", new BlobRef(RunLayout.LANDING, "retry/acme/contacts.csv",
                info.etag()), info.lastModified());

        assertEquals(Set.of(dropRun), newRuns(manual.start(pipeline, request("one", false))));
        stages.runs().finish(dropRun, io.tributary.run.RunOutcome.failed(java.time.Instant.now(), Stage.TRANSFORM, 0,
                "the host was lost"));

        ManualRuns.Outcome retry = manual.start(pipeline, request("two", false));
        Set<RunId> retried = newRuns(retry);
        assertEquals(1, retried.size(), "the failed file is tried again: " + retry);
        RunId retryRun = retried.iterator().next();
        assertNotEquals(dropRun, retryRun);
        assertEquals(Set.of(), newRuns(manual.start(pipeline, request("three", false))),
                "while the retry is going, another sweep starts nothing");

        assertEquals(RunState.COMMITTED, stages.runToEnd(retryRun).status());
        ManualRuns.Outcome after = manual.start(pipeline, request("four", false));
        assertEquals(Set.of(), newRuns(after), "a file whose retry committed is loaded");
        assertEquals(List.of(retryRun), after.runs().stream().map(RunStarter.Started::runId).toList());
    }
}
