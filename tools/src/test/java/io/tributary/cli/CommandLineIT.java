package io.tributary.cli;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tributary} command as a user runs it, in a copy of the project pointed at a test Azurite. */
class CommandLineIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static Path workspace;

    @BeforeAll
    static void copyTheProject() throws IOException {
        workspace = AZURITE.dataDir().resolve("project");
        Path root = AzuriteExtension.projectRoot();
        copyTree(root.resolve("pipeline-defs"), workspace.resolve("pipeline-defs"));
        Files.copy(root.resolve("host.json"), workspace.resolve("host.json"));
        writeSettings(workspace, AZURITE.connectionString());
    }

    static void writeSettings(Path project, String connectionString) throws IOException {
        Files.createDirectories(project);
        Files.writeString(project.resolve("local.settings.json"), Json.compact(java.util.Map.of("IsEncrypted", false,
                "Values", java.util.Map.of("AzureWebJobsStorage", connectionString,
                        "TRIBUTARY_SCHEDULE_TICK", "0 * * * * *"))));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** What one command did. */
    record Result(int status, String out, String err) {
    }

    static Result run(Path project, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), project, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDemoCommitsTheSampleAndTheDatasetExports(@TempDir Path exported) throws Exception {
        Result demo = run(workspace, "demo");

        assertEquals(0, demo.status(), demo.out() + demo.err());
        Matcher run = Pattern.compile("run (\\d{8}T\\d{6}Z-[0-9a-f]{10}) of orders:").matcher(demo.out());
        assertTrue(run.find(), demo.out());
        String runId = run.group(1);
        assertTrue(Pattern.compile("\n  transform 0 +succeeded +\\d").matcher(demo.out()).find(), demo.out());
        assertTrue(Pattern.compile("store +succeeded +\\d+\\.\\d\\d s +280 +235 +3").matcher(demo.out()).find(),
                demo.out());
        assertTrue(demo.out().contains("Dataset training/orders/" + runId + "/ — 235 rows (train 171, validation 37, "
                + "test 27), 7 columns"), demo.out());

        Result status = run(workspace, "status", runId, "--json");
        assertEquals(0, status.status(), status.err());
        JsonNode json = Json.read(status.out().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals("committed", json.at("/run/status").asText(), "GET /api/runs/{runId}'s shape");
        assertEquals(List.of(280, 235, 3), List.of(json.at("/run/rowsIn").asInt(), json.at("/run/rowsOut").asInt(),
                json.at("/run/rowsRejected").asInt()));
        assertEquals(171, json.at("/splits/train").asInt());
        assertEquals(3, json.at("/rejects/count").asInt());
        assertEquals("training/orders/" + runId + "/", json.at("/dataset/path").asText());
        assertEquals(List.of("extract", "transform", "store"),
                List.of(json.at("/stages/0/stage").asText(), json.at("/stages/1/stage").asText(),
                        json.at("/stages/2/stage").asText()));

        Result byPipeline = run(workspace, "status", "orders");
        assertEquals(0, byPipeline.status(), byPipeline.err());
        assertTrue(byPipeline.out().startsWith("Run " + runId + " of pipeline orders "), byPipeline.out());

        Result export = run(workspace, "export", "orders", exported.toString());
        assertEquals(0, export.status(), export.err());
        assertEquals(171, ParquetRows.read(exported.resolve("train/part-00000.parquet")).size());
        assertEquals(37, ParquetRows.read(exported.resolve("validation/part-00000.parquet")).size());
        assertEquals(27, ParquetRows.read(exported.resolve("test/part-00000.parquet")).size());
        assertEquals(3, Files.readAllLines(exported.resolve("_rejects/part-00000.jsonl")).size());
        assertEquals(runId, Json.read(Files.readAllBytes(exported.resolve("_manifest.json")), JsonNode.class)
                .get("runId").asText());

        Result runs = run(workspace, "runs");
        assertTrue(runs.out().startsWith("run  "), runs.out());
        assertTrue(Pattern.compile(runId + " +orders +fileDrop +committed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+\\.\\d\\d s"
                + " +280 +235 +3\n").matcher(runs.out()).find(), runs.out());
        Result ordersOnly = run(workspace, "runs", "--pipeline", "orders", "--status", "committed", "--json");
        JsonNode listed = Json.read(ordersOnly.out().getBytes(StandardCharsets.UTF_8), JsonNode.class).get("runs");
        assertEquals(1, listed.size(), ordersOnly.out());
        assertEquals(runId, listed.get(0).get("runId").asText());
        assertEquals(235, listed.get(0).get("rowsOut").asLong());
        List<String> fields = new java.util.ArrayList<>();
        listed.get(0).fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("runId", "pipeline", "trigger", "status", "startedAt", "endedAt", "rowsIn", "rowsOut",
                "rowsRejected", "bytes", "error", "failedStage", "waitedMs"), fields, "GET /api/runs's shape");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Result untilToday = run(workspace, "runs", "--pipeline", "orders", "--until", today, "--json");
        assertEquals(List.of(runId), Json.read(untilToday.out().getBytes(StandardCharsets.UTF_8), JsonNode.class)
                .get("runs").findValuesAsText("runId"), "--until DATE is the whole day");
        Result all = run(workspace, "runs", "--json");
        List<String> started = Json.read(all.out().getBytes(StandardCharsets.UTF_8), JsonNode.class).get("runs")
                .findValuesAsText("startedAt");
        List<String> newestFirst = new java.util.ArrayList<>(started);
        newestFirst.sort(java.util.Comparator.comparing(java.time.Instant::parse).reversed());
        assertEquals(newestFirst, started, "newest start first");
        assertEquals("No runs match.\n", run(workspace, "runs", "--status", "failed").out());
        Result badStatus = run(workspace, "runs", "--status", "done");
        assertEquals(2, badStatus.status());
        assertTrue(badStatus.err().contains("--status takes running, committed or failed, not 'done'"), badStatus.err());

        assertTrue(demo.out().contains("Uploaded reference data reference/stores.csv"), demo.out());
        assertTrue(demo.out().contains("  lookup reference reference/stores.csv (ETag "), demo.out());
        assertTrue(Pattern.compile("store +succeeded +\\d+\\.\\d\\d s +780 +130 +11").matcher(demo.out()).find(),
                demo.out());
        assertTrue(Pattern.compile("store +succeeded +\\d+\\.\\d\\d s +320 +188 +13").matcher(demo.out()).find(),
                demo.out());
        Result mixed = run(workspace, "export", "store-demand", exported.toString());
        assertEquals(2, mixed.status(), "a second dataset into the same folder");
        assertEquals("tributary export: " + exported + " is not empty; export into a new or empty folder, or add "
                + "--force to delete what it holds first\nrun 'tributary help' for usage\n", mixed.err());
        Result forced = run(workspace, "export", "store-demand", exported.toString(), "--force");
        assertEquals(0, forced.status(), forced.err());
        assertTrue(Files.notExists(exported.resolve("train/part-00000.parquet")), "the orders dataset is gone");
        assertTrue(Files.exists(exported.resolve("train/region=north/part-00000.parquet")));

        Path demand = exported.resolve("store-demand");
        assertEquals(0, run(workspace, "export", "store-demand", demand.toString()).status());
        List<java.util.Map<String, Object>> north = ParquetRows.read(demand.resolve("train/region=north/part-00000.parquet"));
        assertTrue(north.size() > 0 && north.stream().allMatch(r -> "north".equals(r.get("region"))
                && Set.of("S-01", "S-02").contains(r.get("store_id"))), north.toString());
        JsonNode manifest = Json.read(Files.readAllBytes(demand.resolve("_manifest.json")), JsonNode.class);
        assertEquals("reference", manifest.at("/references/0/container").asText());
        assertEquals("stores.csv", manifest.at("/references/0/name").asText());

        Matcher features = Pattern.compile("The commit of orders/" + runId + " started run (\\d{8}T\\d{6}Z-[0-9a-f]{10}) "
                + "of customer-features \\(dataset trigger\\)").matcher(demo.out());
        assertTrue(features.find(), demo.out());
        assertLineage(runId, features.group(1));
    }

    /** {@code tributary lineage} of the demo's customer-features run: back through orders to the dropped file. */
    private static void assertLineage(String ordersRun, String featuresRun) {
        Result text = run(workspace, "lineage", "customer-features");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("run customer-features/" + featuresRun + "\n  ← reads: dataset training/orders/"
                + ordersRun + "/ (235 rows)\n  → committed: dataset training/customer-features/" + featuresRun + "/ ("),
                text.out());
        assertTrue(text.out().contains("run orders/" + ordersRun + "\n  ← reads: blob landing/orders/"
                + "orders-2026-11-07.csv (ETag "), text.out());

        Result mermaid = run(workspace, "lineage", "customer-features/" + featuresRun, "--format", "mermaid");
        assertEquals(0, mermaid.status(), mermaid.err());
        List<String> lines = mermaid.out().lines().toList();
        assertEquals("flowchart LR", lines.get(0));
        assertEquals("  n0(\"run customer-features/" + featuresRun + "\")", lines.get(1));
        assertTrue(lines.contains("  n1[(\"dataset training/orders/" + ordersRun + "/ (235 rows)\")]"), mermaid.out());
        assertTrue(lines.contains("  n1 -->|\"read by\"| n0"), mermaid.out());

        Result json = run(workspace, "lineage", "orders/" + ordersRun, "--json");
        assertEquals(0, json.status(), json.err());
        JsonNode graph = Json.read(json.out().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals("run:" + ordersRun, graph.at("/nodes/0/id").asText());
        assertEquals(List.of("run", "blob", "dataset", "pipeline", "run", "dataset"),
                graph.get("nodes").findValuesAsText("kind"));
        assertEquals("pipeline:customer-features", graph.at("/edges/3/from").asText());
        assertEquals("run:" + featuresRun, graph.at("/edges/3/to").asText());

        Result badRun = run(workspace, "lineage", "orders/latest");
        assertEquals(2, badRun.status());
        assertEquals("tributary lineage: 'latest' is not a run id\nrun 'tributary help' for usage\n", badRun.err());
        Result wrongPipeline = run(workspace, "lineage", "telemetry/" + ordersRun);
        assertEquals(1, wrongPipeline.status());
        assertEquals("tributary lineage: run " + ordersRun + " is a run of orders, not of telemetry; ask for orders/"
                + ordersRun + "\n", wrongPipeline.err());
    }

    @Test
    void uploadPutsReferenceDataInStorageButNotIntoLanding(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("regions.csv");
        Files.writeString(file, "region,manager\nnorth,Ada\n");

        Result uploaded = run(workspace, "upload", file.toString(), "reference/regions/regions.csv");
        assertEquals(0, uploaded.status(), uploaded.err());
        assertTrue(uploaded.out().startsWith("Uploaded " + file + " as reference/regions/regions.csv (25 bytes, ETag "),
                uploaded.out());

        Result landing = run(workspace, "upload", file.toString(), "landing/orders/x.csv");
        assertEquals(2, landing.status());
        assertTrue(landing.err().contains("use 'tributary drop'"), landing.err());
        Result malformed = run(workspace, "upload", file.toString(), "Reference");
        assertEquals(2, malformed.status());
        assertTrue(malformed.err().contains("is not CONTAINER/PATH"), malformed.err());
    }

    @Test
    void validateReportsEveryProblemWithItsPlace() {
        Path invalid = AzuriteExtension.projectRoot().resolve("functions/src/test/resources/definitions/invalid");
        Result result = run(workspace, "validate", invalid.resolve("bad-types.json").toString(),
                workspace.resolve("pipeline-defs").toString());
        assertEquals(1, result.status());
        List<String> lines = result.out().lines().toList();
        assertEquals(5, lines.size(), result.out());
        assertTrue(lines.get(0).matches(".*bad-types\\.json:4:42: /source/header: expected true or false.*"), lines.get(0));
        assertEquals("8 definitions checked: 7 valid, 1 with problems (4 problems)", lines.get(4));
        assertEquals(0, run(workspace, "validate").status());
    }

    @Test
    void mistakesGetOneClearLine() {
        Result unknownPipeline = run(workspace, "run", "ordres", "--input", "x.csv");
        assertEquals(1, unknownPipeline.status());
        String noSuch = "no pipeline named 'ordres'; did you mean 'orders'?; available: contacts, crm-contacts, "
                + "customer-features, order-ledger, orders, store-demand, telemetry\n";
        assertEquals("tributary run: " + noSuch, unknownPipeline.err());
        for (List<String> command : List.of(List.of("lineage", "ordres"), List.of("export", "ordres", "out-ordres"),
                List.of("runs", "--pipeline", "ordres"), List.of("status", "ordres"))) {
            Result result = run(workspace, command.toArray(String[]::new));
            assertEquals(1, result.status(), command + ": " + result.out());
            assertEquals("tributary " + command.get(0) + ": " + noSuch, result.err(), command.toString());
        }

        Result unusedParameter = run(workspace, "run", "orders", "--param", "region=emea");
        assertEquals(2, unusedParameter.status());
        assertTrue(unusedParameter.err().startsWith("tributary run: pipeline 'orders' does not use the parameter "
                + "'region'; it uses none"), unusedParameter.err());
        Result misspeltParameter = run(workspace, "run", "crm-contacts", "--param", "watermak=2026-01-01");
        assertEquals(2, misspeltParameter.status());
        assertEquals("tributary run: pipeline 'crm-contacts' does not use the parameter 'watermak'; did you mean "
                + "'watermark'?; it uses watermark\nrun 'tributary help' for usage\n", misspeltParameter.err());

        Result unknownCommand = run(workspace, "stauts");
        assertEquals(2, unknownCommand.status());
        assertTrue(unknownCommand.err().startsWith("tributary: unknown command 'stauts'; did you mean 'status'?"),
                unknownCommand.err());

        Result noSuchRun = run(workspace, "status", "20200101T000000Z-0000000000");
        assertEquals(1, noSuchRun.status());
        assertTrue(noSuchRun.err().startsWith("tributary status: no run 20200101T000000Z-0000000000 in "),
                noSuchRun.err());
    }

    @Test
    void theRunHistoryTablesAreMadeOnceNotFilledAgainByEveryCommand() {
        var clients = AZURITE.clients();
        clients.provision();

        assertFalse(clients.provision(), "the tables exist: no command back-fills the history again");
        assertFalse(clients.provisionHistory());
    }

    @Test
    void unreachableStorageIsOneLineNotAStackTrace(@TempDir Path project) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        copyTree(workspace.resolve("pipeline-defs"), project.resolve("pipeline-defs"));
        Files.copy(workspace.resolve("host.json"), project.resolve("host.json"));
        writeSettings(project, io.tributary.storage.StorageAccount.azuriteConnectionString("127.0.0.1", closedPort,
                closedPort, closedPort));

        Result result = run(project, "runs");

        assertEquals(1, result.status());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("tributary runs: cannot reach Azure Storage at http://127.0.0.1:" + closedPort
                + "/devstoreaccount1 (Connection refused"), result.err());
    }
}
