package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.local.LocalHost;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local host as {@code tributary host} starts it, in a project with a broken definition: what it prints at start
 * (each broken file with its first problem, the storage endpoints and a connection string), on a change of the
 * definitions or of {@code local.settings.json}, what {@code GET /api/pipelines} and {@code tributary runs} say of the
 * broken file; and {@code tributary drop}: a name several pipelines take, a drop meant for the broken pipeline, and
 * {@code --wait}.
 */
class HostAndDropIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** {@code bad.json}'s problem: a header that is not a boolean. */
    static final String BAD = """
            {"schemaVersion": 1, "name": "bad", "trigger": {"type": "fileDrop", "path": "bad/*.tsv"},
             "source": {"format": "csv", "header": "yes"},
             "columns": [{"name": "id", "type": "long"}]}""";

    static Path project;
    static ByteArrayOutputStream hostOut = new ByteArrayOutputStream();
    static LocalHost host;

    @BeforeAll
    static void startHost() throws Exception {
        project = AZURITE.dataDir().resolve("host-project");
        Files.createDirectories(project.resolve("pipeline-defs"));
        Files.copy(AzuriteExtension.projectRoot().resolve("host.json"), project.resolve("host.json"));
        CommandLineIT.writeSettings(project, AZURITE.connectionString());
        Files.writeString(project.resolve("pipeline-defs/good.json"), """
                {"schemaVersion": 1, "name": "good", "trigger": {"type": "fileDrop", "path": "good/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""");
        for (String side : List.of("left", "right")) {
            Files.writeString(project.resolve("pipeline-defs/" + side + ".json"), """
                    {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*.txt"},
                     "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""".formatted(side, side));
        }
        Files.writeString(project.resolve("pipeline-defs/bad.json"), BAD);
        Workspace workspace = new Workspace(project, System.out);
        PrintStream out = new PrintStream(hostOut, true, StandardCharsets.UTF_8);
        host = HostCommand.start(workspace, out, false, 0, workspace.hostJson());
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
    }

    static String hostOutput() {
        return hostOut.toString(StandardCharsets.UTF_8);
    }

    static void awaitHostSays(String text) {
        Eventually.await("the host to say " + text, TIMEOUT, () -> Optional.of(true).filter(t -> hostOutput()
                .contains(text)));
    }

    @Test
    void theHostNamesEachBrokenFileAndItsStorageAtStartAndOnAChange() throws Exception {
        String start = hostOutput();
        assertTrue(start.contains("  broken, not loaded: pipeline-defs/bad.json:2:40: /source/header: expected true or "
                + "false"), start);
        var account = AZURITE.clients().account();
        assertTrue(start.contains("Storage: Azurite, not on the usual ports 10000-10002"), start);
        assertTrue(start.contains("\n  blob   " + account.blobEndpoint() + "\n  queue  " + account.queueEndpoint()
                + "\n  table  " + account.tableEndpoint() + "\n"), start);
        assertTrue(start.contains("\n  " + AZURITE.connectionString() + "\n"), start);

        Files.writeString(project.resolve("pipeline-defs/worse.json"), "{\"schemaVersion\": 1, \"name\": \"worse\",");
        awaitHostSays("broken, not loaded: pipeline-defs/worse.json:");
        assertTrue(hostOutput().contains("Definitions changed in pipeline-defs: loaded good, left, right"), hostOutput());
        Files.delete(project.resolve("pipeline-defs/worse.json"));
        Eventually.await("the host to read the definitions again", TIMEOUT, () -> Optional.of(true).filter(t ->
                hostOutput().split("Definitions changed in pipeline-defs: loaded good, left, right\n", -1).length == 3));
        assertFalse(hostOutput().substring(hostOutput().lastIndexOf("Definitions changed")).contains("worse.json"));

        Path settings = project.resolve("local.settings.json");
        Files.writeString(settings, Json.compact(Map.of("IsEncrypted", false, "Values", Map.of(
                "AzureWebJobsStorage", AZURITE.connectionString(), "TRIBUTARY_SCHEDULE_TICK", "0 * * * * *",
                "CRM_API_URL", "http://127.0.0.1:9"))));
        awaitHostSays("local.settings.json changed (CRM_API_URL); the host keeps the settings it started with: "
                + "restart it (Ctrl-C, then 'tributary host') to apply them");
    }

    @Test
    void brokenDefinitionsAreListedByTheApiAndByRuns() throws Exception {
        URI pipelines = host.httpBase().orElseThrow().resolve("pipelines");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(pipelines).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Json.read(response.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals(List.of("good", "left", "right"), body.get("pipelines").findValuesAsText("name"));
        assertEquals(1, body.get("broken").size(), response.body());
        assertEquals(project.resolve("pipeline-defs/bad.json").toString(), body.at("/broken/0/file").asText());
        assertEquals("bad", body.at("/broken/0/pipeline").asText());
        assertEquals("/source/header", body.at("/broken/0/problems/0/pointer").asText());
        assertEquals(2, body.at("/broken/0/problems/0/line").asInt());
        assertTrue(body.at("/broken/0/problems/0/message").asText().startsWith("expected true or false"), response.body());

        CommandLineIT.Result runs = CommandLineIT.run(project, "runs");
        assertEquals(0, runs.status(), runs.err());
        assertTrue(runs.out().contains("1 definition is broken and not loaded, so its pipeline starts no run ('tributary "
                + "validate' lists every problem):\n  pipeline-defs/bad.json:2:40: /source/header: expected true or "
                + "false"), runs.out());
    }

    @Test
    void aDropMeantForABrokenPipelineSaysSoAndUploadsNothing() throws Exception {
        Path file = project.resolve("x.tsv");
        Files.writeString(file, "id\n1\n");

        for (List<String> command : List.of(List.of("drop", file.toString()),
                List.of("drop", file.toString(), "--to", "landing/bad/x.tsv"))) {
            CommandLineIT.Result drop = CommandLineIT.run(project, command.toArray(String[]::new));
            assertEquals(1, drop.status(), drop.out() + drop.err());
            assertTrue(drop.err().startsWith("tributary drop: landing/bad/x.tsv is meant for pipeline 'bad', whose "
                    + "definition pipeline-defs/bad.json is broken and was not loaded, so no run starts: "
                    + "pipeline-defs/bad.json:2:40: /source/header: expected true or false"), drop.err());
            assertTrue(drop.err().contains("; nothing was uploaded"), drop.err());
        }
        assertFalse(AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("bad/x.tsv")
                .exists());

        // Uploaded by another tool: the host's file drop names the broken definition too.
        AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("bad/y.tsv")
                .upload(com.azure.core.util.BinaryData.fromString("id\n1\n"), true);
        awaitHostSays("landing/bad/y.tsv is meant for pipeline 'bad', whose definition ");
    }

    @Test
    void aNameSeveralPipelinesTakeIsRefusedAndWaitFollowsTheRun() throws Exception {
        Path ambiguous = project.resolve("both.txt");
        Files.writeString(ambiguous, "id\n1\n");
        CommandLineIT.Result refused = CommandLineIT.run(project, "drop", ambiguous.toString());
        assertEquals(2, refused.status(), refused.out() + refused.err());
        assertEquals("tributary drop: several pipelines could take both.txt: landing/left/both.txt (left), "
                + "landing/right/both.txt (right); nothing was uploaded. Choose one with --to, e.g. --to "
                + "landing/left/both.txt", refused.err().lines().findFirst().orElseThrow());
        var landing = AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING);
        assertFalse(landing.getBlobClient("both.txt").exists());
        assertFalse(landing.getBlobClient("left/both.txt").exists());

        Path nowhere = project.resolve("nowhere.json");
        Files.writeString(nowhere, "{}");
        CommandLineIT.Result none = CommandLineIT.run(project, "drop", nowhere.toString());
        assertEquals(2, none.status(), none.out() + none.err());
        assertTrue(none.err().startsWith("tributary drop: no pipeline's trigger.path takes a file named nowhere.json; "
                + "nothing was uploaded. Pipelines listening: landing/good/*.csv (good), landing/left/*.txt (left), "
                + "landing/right/*.txt (right)."), none.err());

        Path good = project.resolve("ids.csv");
        Files.writeString(good, "id\n1\n2\n");
        CommandLineIT.Result waited = CommandLineIT.run(project, "drop", good.toString(), "--wait", "--timeout", "60");
        assertEquals(0, waited.status(), waited.out() + waited.err());
        Matcher run = Pattern.compile("A running host starts run (\\S+) of good:").matcher(waited.out());
        assertTrue(run.find(), waited.out());
        assertEquals("Run " + run.group(1) + " of good committed: dataset training/good/" + run.group(1) + "/ — 2 rows",
                waited.out().lines().reduce((a, b) -> b).orElseThrow());

        CommandLineIT.Result explicit = CommandLineIT.run(project, "drop", ambiguous.toString(), "--to",
                "landing/right/both.txt", "--wait", "--timeout", "60");
        assertEquals(0, explicit.status(), explicit.out() + explicit.err());
        assertTrue(explicit.out().contains(" of right committed: dataset training/right/"), explicit.out());
    }
}
