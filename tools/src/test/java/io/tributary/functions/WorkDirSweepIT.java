package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.microsoft.azure.functions.ExecutionContext;
import com.sun.net.httpserver.HttpServer;
import io.tributary.run.ExtractMessage;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.settings.Settings;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A crash loop cannot fill the disk. An extract fetching an API is killed mid-fetch (SIGKILL, a process of its own,
 * as the Functions host's worker would be), again and again, each time leaving its work dir and the records it had
 * spooled; then the API answers and the message's next delivery runs in a new process. Each process, as it starts,
 * sweeps the work dirs of the killed ones: at any time only the last killed one's is left, and when the invocation
 * that completes is done, nothing at all.
 */
class WorkDirSweepIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final int KILLS = 4;
    static final int PAGES = 3;
    static final int PER_PAGE = 2_000;
    static final Duration SPOOLED_TIMEOUT = Duration.ofSeconds(90);

    static HttpServer api;
    /** While set, the API answers the first page and then never the second: the fetch hangs until it is killed. */
    static volatile boolean hang = true;

    @BeforeAll
    static void startTheApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(Executors.newCachedThreadPool());
        api.createContext("/contacts", exchange -> {
            try (exchange) {
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                int page = query.contains("page=") ? Integer.parseInt(query.replaceAll(".*page=(\\d+).*", "$1")) : 1;
                while (hang && page > 1) {
                    Thread.sleep(50);
                }
                byte[] body = page(page).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        api.start();
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", AzuriteExtension.projectRoot().resolve("pipeline-defs")
                .toString(), "CRM_API_URL", apiUrl(), "CRM_API_TOKEN", "test-token"));
    }

    @AfterAll
    static void stopTheApi() {
        api.stop(0);
    }

    static String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    /** Page {@code n} of the contacts, with a link to the next but on the last. */
    static String page(int n) {
        StringBuilder json = new StringBuilder("{\"data\": [");
        for (int i = 0; i < PER_PAGE; i++) {
            long id = (long) (n - 1) * PER_PAGE + i;
            json.append(i == 0 ? "" : ",").append("{\"id\": ").append(id).append(", \"name\": \"Contact ").append(id)
                    .append("\", \"email\": \"c").append(id).append("@example.com\", \"company\": \"Company ")
                    .append(id % 97).append("\", \"updated_at\": \"2026-11-01T10:00:00Z\"}");
        }
        json.append("], \"links\": {");
        if (n < PAGES) {
            json.append("\"next\": \"").append(apiUrl()).append("/contacts?page=").append(n + 1).append('"');
        }
        return json.append("}}").toString();
    }

    @Test
    void theWorkDirsOfKilledInvocationsAreSweptBeforeTheNextOneMakesItsOwn() throws Exception {
        Path root = AZURITE.dataDir().resolve("work");
        RunId runId = RunId.forRequest("crm-contacts", "crash-loop", Instant.parse("2026-12-01T00:00:00Z"));
        List<Path> spools = new ArrayList<>();
        Path last = null;
        for (int kill = 1; kill <= KILLS; kill++) {
            Process invocation = startInvocation(runId, kill);
            try {
                last = awaitNewSpool(root, Set.copyOf(spools), invocation);
                spools.add(last);
            } finally {
                invocation.destroyForcibly().waitFor();
            }
        }
        assertEquals(KILLS, spools.size(), "each invocation was killed with records spooled");
        assertEquals(List.of(last), spools.stream().filter(Files::exists).toList(), "only the last one's is left");
        Usage killed = Usage.of(root);
        assertEquals(1, killed.files(), "each invocation swept the spool of the one killed before it: " + killed);
        assertTrue(killed.bytes() >= 32L * 1024, "the last one's spool holds records: " + killed);

        hang = false;
        // The next delivery runs in a process of its own: a new app, which claims its own work dir.
        FunctionApp.start(Settings::get).function(ExtractFunction.class).run(Json.compact(new ExtractMessage(runId, "crm-contacts", null)), KILLS + 1,
                context());

        FetchRecord fetched = new RunStore(new AzureBlobStore(AZURITE.clients().blobs())).fetchRecord(runId)
                .orElseThrow();
        assertEquals(PAGES * PER_PAGE, fetched.records(), "the invocation after the kills fetched every record");
        assertEquals(new Usage(0, 0), Usage.of(root), "nothing is left under the work root " + root);
    }

    /** Starts an invocation of extract for {@code runId}, delivery {@code delivery}, in a JVM of its own. */
    private static Process startInvocation(RunId runId, int delivery) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
        for (String name : List.of("AzureWebJobsStorage", "TRIBUTARY_WORK_DIR", "TRIBUTARY_PIPELINE_DEFS",
                "CRM_API_URL", "CRM_API_TOKEN", "TRIBUTARY_DEFINITION_SETTINGS")) {
            command.add("-D" + name + "=" + Settings.require(name));
        }
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), Invocation.class.getName(), runId.text(), String.valueOf(delivery)));
        Path log = AZURITE.dataDir().resolve("invocation-" + delivery + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** Waits until the invocation has spooled records to a file not in {@code known}. */
    private static Path awaitNewSpool(Path root, Set<Path> known, Process invocation) throws Exception {
        Instant deadline = Instant.now().plus(SPOOLED_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!invocation.isAlive()) {
                throw new AssertionError("the invocation ended (exit " + invocation.exitValue() + ") before it was "
                        + "killed; see " + AZURITE.dataDir());
            }
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().equals("records.jsonl")).toList()) {
                        if (!known.contains(file) && Files.exists(file) && Files.size(file) > 0) {
                            return file;
                        }
                    }
                } catch (java.io.UncheckedIOException e) {
                    // a file went while the walk looked: look again
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no records were spooled under " + root + " within " + SPOOLED_TIMEOUT);
    }

    private static ExecutionContext context() {
        ExecutionContext context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(Logger.getLogger("work-dir-sweep"));
        when(context.getInvocationId()).thenReturn("test-invocation");
        when(context.getFunctionName()).thenReturn("extract");
        return context;
    }

    /** The regular files under a folder and their bytes. */
    record Usage(long files, long bytes) {
        static Usage of(Path root) throws IOException {
            if (!Files.isDirectory(root)) {
                return new Usage(0, 0);
            }
            try (Stream<Path> paths = Files.walk(root)) {
                List<Path> files = paths.filter(Files::isRegularFile).toList();
                long bytes = 0;
                for (Path file : files) {
                    bytes += Files.size(file);
                }
                return new Usage(files.size(), bytes);
            }
        }
    }

    /**
     * One delivery of a run's extract message in a process of its own, as the Functions host runs it: starts the run
     * (once; a run started already stays as it is), then extracts. Arguments: the run id and the delivery's number.
     */
    public static final class Invocation {
        public static void main(String[] args) {
            RunId runId = RunId.parse(args[0]);
            AppInjector injector = new AppInjector(); // as the Functions worker loads it
            FunctionApp app = injector.app();
            RunStore runs = new RunStore(new AzureBlobStore(app.clients().blobs()));
            new RunStarter(runs, (queue, message) -> { }, Clock.systemUTC())
                    .start(app.catalog().get("crm-contacts"), runId, null, "manual", Map.of());
            injector.getInstance(ExtractFunction.class).run(Json.compact(new ExtractMessage(runId, "crm-contacts",
                    null)), Long.parseLong(args[1]), context());
        }
    }
}
