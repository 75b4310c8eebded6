package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunState;
import io.tributary.stage.Alerts;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.DeltaTables;
import io.tributary.testing.MovableClock;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time travel and upkeep of a pipeline's Delta table on Azurite, through the command line as a user runs it: runs
 * committed (by the real stages, at times the test sets) are listed by {@code history}; {@code export --version},
 * {@code --as-of} and {@code PIPELINE/RUN_ID} each yield a folder Delta Kernel reads as that version; {@code vacuum}
 * deletes what only the overwritten version read once it is past the retention, after which exporting that version
 * fails saying why, while the latest still exports.
 */
class TableVersionsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "contacts", "trigger": {"type": "fileDrop", "path": "contacts/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
             "output": {"table": {"mode": "overwrite", "retention": "7d"}}}
            """;

    static Path project;
    static BlobStore blobs;

    @TempDir
    Path dir;

    @BeforeAll
    static void aProjectOnAzurite() throws Exception {
        project = AZURITE.dataDir().resolve("project");
        Files.createDirectories(project.resolve("pipeline-defs"));
        Files.writeString(project.resolve("pipeline-defs/contacts.json"), DEFINITION);
        Files.copy(AzuriteExtension.projectRoot().resolve("host.json"), project.resolve("host.json"));
        CommandLineIT.writeSettings(project, AZURITE.connectionString());
        var clients = AZURITE.clients();
        clients.provision();
        blobs = new AzureBlobStore(clients.blobs());
    }

    private static PipelineDefinition definition() {
        var read = DefinitionReader.read("contacts.json", DEFINITION, null);
        return read.definition().orElseThrow(() -> new AssertionError(read.problems().toString()));
    }

    /** Drops {@code csv} and runs it through the real stages to its commit, at the clock's time. */
    private Manifest run(RunStages stages, String file, String csv) {
        String name = "contacts/" + file;
        blobs.put(RunLayout.LANDING, name, ("id,name\n" + csv).getBytes(StandardCharsets.UTF_8));
        BlobRef source = blobs.current(RunLayout.LANDING + "/" + name).orElseThrow();
        RunId runId = stages.start(source, Map.of());
        assertEquals(RunState.COMMITTED, stages.runToEnd(runId).status(), () -> stages.runs().outcome(runId).toString());
        return new io.tributary.history.RunHistory(stages.runs()).manifest("contacts", runId).orElseThrow();
    }

    private static CommandLineIT.Result cli(String... args) {
        return CommandLineIT.run(project, args);
    }

    private static List<String> ids(Path table) {
        return DeltaTables.rows(table).stream().map(r -> r.get("id") + ":" + r.get("name")).sorted().toList();
    }

    @Test
    void historyExportAtAVersionAndVacuum() throws Exception {
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        MovableClock clock = new MovableClock(tenDaysAgo);
        RunStages stages = RunStages.on(new RunStore(blobs, Alerts.OFF), dir, definition(), n -> Optional.empty(),
                EngineLimits.DEFAULT, clock);
        Manifest first = run(stages, "a.csv", "1,ann\n2,bob\n");
        clock.advance(Duration.ofDays(1));
        Manifest second = run(stages, "b.csv", "3,cy\n");
        assertEquals(List.of(0L, 1L), List.of(first.table().version(), second.table().version()));

        CommandLineIT.Result history = cli("history", "contacts");
        assertEquals(0, history.status(), history.out() + history.err());
        String[] lines = history.out().split("\n");
        assertTrue(lines[0].matches("version +committed \\(UTC\\) +operation +run +rows added +rows removed +files "
                + "added +files removed"), history.out());
        assertTrue(Pattern.compile("^ +1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +WRITE \\(overwrite\\) +"
                + second.runId() + " +1 +2 +1 +1$").matcher(lines[2]).matches(), history.out());
        assertTrue(Pattern.compile("^ +0 +.* +WRITE \\(overwrite\\) +" + first.runId() + " +2 +0 +1 +0$")
                .matcher(lines[3]).matches(), history.out());
        assertTrue(history.out().endsWith("\nExport a version as a Delta table of its own: tributary export contacts "
                + "DIR --version 1 (or --as-of TIME)\n"), history.out());
        CommandLineIT.Result json = cli("history", "contacts", "--json", "--limit", "1");
        JsonNode page = Json.read(json.out().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals(List.of(1, 1, 2, 1), List.of(page.get("latestVersion").asInt(), page.at("/versions/0/version")
                .asInt(), page.at("/versions/0/rowsRemoved").asInt(), page.get("nextBefore").asInt()));
        assertEquals(second.runId().text(), page.at("/versions/0/runId").asText());

        CommandLineIT.Result v0 = cli("export", "contacts", dir.resolve("v0").toString(), "--version", "0");
        assertEquals(0, v0.status(), v0.out() + v0.err());
        assertTrue(v0.out().startsWith("Exported version 0 of table training/contacts/table/ (committed "
                + Instant.ofEpochMilli(tenDaysAgo.toEpochMilli()) + " by run " + first.runId() + "; 2 rows, 1 file, "),
                v0.out());
        assertEquals(List.of("1:ann", "2:bob"), ids(dir.resolve("v0")));
        assertEquals(0, DeltaTables.latestVersion(dir.resolve("v0")));
        CommandLineIT.Result asOf = cli("export", "contacts", dir.resolve("asof").toString(), "--as-of",
                tenDaysAgo.plus(Duration.ofHours(1)).toString());
        assertEquals(0, asOf.status(), asOf.out() + asOf.err());
        assertEquals(List.of("1:ann", "2:bob"), ids(dir.resolve("asof")));
        CommandLineIT.Result byRun = cli("export", "contacts/" + second.runId(), dir.resolve("run").toString());
        assertEquals(0, byRun.status(), byRun.out() + byRun.err());
        assertEquals(List.of("3:cy"), ids(dir.resolve("run")));
        CommandLineIT.Result none = cli("export", "contacts", dir.resolve("v5").toString(), "--version", "5");
        assertEquals(1, none.status());
        assertEquals("tributary export: the table has no version 5; its log holds versions 0 to 1\n", none.err());

        String firstPart = RunLayout.table("contacts") + first.files().get(0).path();
        CommandLineIT.Result dry = cli("vacuum", "contacts", "--dry-run");
        assertEquals(0, dry.status(), dry.out() + dry.err());
        assertTrue(dry.out().startsWith("Would delete 1 file, "), dry.out());
        assertTrue(dry.out().contains("from table training/contacts/table/ (retention 7d, output.table.retention): 1 "
                + "removed by versions before "), dry.out());
        assertTrue(dry.out().contains("\n  " + first.files().get(0).path() + "  ("), dry.out());
        assertTrue(blobs.properties(RunLayout.TRAINING, firstPart).isPresent(), "a dry run deletes nothing");
        CommandLineIT.Result refused = cli("vacuum", "contacts", "--retain", "30m");
        assertEquals(2, refused.status());
        assertTrue(refused.err().startsWith("tributary vacuum: --retain 30m could delete a file a reader is still "
                + "reading; give at least 1h\n"), refused.err());
        CommandLineIT.Result kept = cli("vacuum", "contacts", "--retain", "10d");
        assertTrue(kept.out().startsWith("Deleted 0 files, 0 bytes, "), kept.out());
        assertTrue(blobs.properties(RunLayout.TRAINING, firstPart).isPresent(), "removed 9 days ago: kept for 10");

        CommandLineIT.Result vacuum = cli("vacuum", "contacts");
        assertEquals(0, vacuum.status(), vacuum.out() + vacuum.err());
        assertTrue(vacuum.out().startsWith("Deleted 1 file, "), vacuum.out());
        assertFalse(blobs.properties(RunLayout.TRAINING, firstPart).isPresent());

        CommandLineIT.Result gone = cli("export", "contacts", dir.resolve("v0-again").toString(), "--version", "0");
        assertEquals(1, gone.status(), gone.out());
        assertEquals("tributary export: version 0 of table training/contacts/table/ can no longer be read: its data "
                + "file " + first.files().get(0).path() + " is gone. Vacuum deletes the files that only versions "
                + "replaced longer than the table's retention ago read (7d, output.table.retention); export a newer "
                + "version ('tributary history' lists them, the latest is 1), or keep files longer by raising the "
                + "retention\n", gone.err());
        CommandLineIT.Result latest = cli("export", "contacts", dir.resolve("latest").toString());
        assertEquals(0, latest.status(), latest.out() + latest.err());
        assertTrue(latest.out().startsWith("Exported version 1 of table training/contacts/table/"), latest.out());
        assertEquals(List.of("3:cy"), ids(dir.resolve("latest")));

        CommandLineIT.Result unknown = cli("history", "contact");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().startsWith("tributary history: no pipeline named 'contact'; did you mean "
                + "'contacts'?"), unknown.err());
    }
}
