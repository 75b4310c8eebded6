package io.tributary.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local host's HTTP listener on its own, over two test functions: what a client sees and what the log says. */
class HttpListenerTest {

    /** Functions for the listener: a slow one with a large answer, and one that fails inside. */
    public static class TestFunctions {

        @FunctionName("slow")
        public HttpResponseMessage slow(
                @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                        route = "slow") HttpRequestMessage<Optional<String>> request,
                ExecutionContext context) throws InterruptedException {
            Thread.sleep(600);
            char[] large = new char[8 << 20];
            Arrays.fill(large, 'x');
            return request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "text/plain")
                    .body(new String(large)).build();
        }

        @FunctionName("broken")
        public HttpResponseMessage broken(
                @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                        route = "broken") HttpRequestMessage<Optional<String>> request,
                ExecutionContext context) {
            throw new IllegalStateException(new java.io.UncheckedIOException(new java.io.IOException("disk full")));
        }

        @FunctionName("refuse")
        public HttpResponseMessage refuse(
                @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                        route = "pipelines/{pipeline}/runs") HttpRequestMessage<Optional<String>> request,
                @com.microsoft.azure.functions.annotation.BindingName("pipeline") String pipeline,
                ExecutionContext context) {
            context.getLogger().warning("start of " + pipeline + " refused (404): no such pipeline");
            return request.createResponseBuilder(HttpStatus.NOT_FOUND).build();
        }
    }

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private ExecutorService workers;
    private HttpListener listener;

    @BeforeEach
    void start() throws Exception {
        List<FunctionEntry> functions = Arrays.stream(TestFunctions.class.getMethods())
                .flatMap(m -> FunctionEntry.of(m).stream()).toList();
        HostLog log = new HostLog(new PrintStream(logged, true, StandardCharsets.UTF_8), false);
        workers = Executors.newFixedThreadPool(2);
        listener = new HttpListener(functions, 0, new Invoker(log, Invoker.CONSTRUCTORS), log, workers);
        listener.start();
    }

    @AfterEach
    void stop() throws Exception {
        listener.stop();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatHangsUpEarlyIsNotLoggedAsAFailure() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", listener.base().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
            socket.setSoLinger(true, 0); // hang up with a reset while the function still runs
        }
        Thread.sleep(1500);

        String log = logged.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("failed"), log);
        assertFalse(log.contains("Exception"), log);
    }

    @Test
    void aFunctionThatFailsInsideAnswers500WithoutJavaInternals() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                listener.base().resolve("broken")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(500, response.statusCode());
        assertEquals("the function broken failed inside the app; the host's log says why",
                io.tributary.run.Json.MAPPER.readTree(response.body()).get("error").asText());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("broken failed: "), "the log keeps the cause");
    }

    @Test
    void aNameInTheUrlCannotForgeALogLine() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(listener.base()
                .resolve("pipelines/x%0A%5B07:00:00.000%5D%20forged%0D%1B%5B2K/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode());
        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("refused") || l.contains("forged")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("  refuse: start of x\\n[07:00:00.000] forged\\r\\u001b[2K refused (404): no such "
                + "pipeline"), lines.get(0));
    }
}
