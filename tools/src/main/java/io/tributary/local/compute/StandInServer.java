package io.tributary.local.compute;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.cloud.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A compute service's stand-in on the loopback address (plain http: see {@link Loopback}): it records every request,
 * refuses one without the expected bearer token as the service does, plays the faults it is given (throttling with
 * {@code Retry-After}, 5xx, a slow answer, an answer lost after the work was done), and hands the rest to the
 * service's own routes ({@link #route}). The local host runs one per emulated workspace; tests drive it.
 */
public abstract class StandInServer implements AutoCloseable {

    /** What the server was asked. */
    public record Request(String method, String path, String query, String authorization, String body) {
    }

    /** An answer: a status, a JSON body (or empty) and headers. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    /** A fault played on the next request instead of (or around) its proper answer. */
    public sealed interface Fault {
        /** Answers {@code status} with the service's error body and, when not null, {@code Retry-After} seconds. */
        record Status(int status, Integer retryAfterSeconds) implements Fault {
        }

        /** Waits {@code delay}, then answers properly. */
        record Slow(Duration delay) implements Fault {
        }

        /** Does the work, then closes the connection without answering: the caller cannot tell it was done. */
        record Lost() implements Fault {
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "stand-in-http");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private volatile String token = Loopback.TOKEN;

    protected StandInServer(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** The service's answer to {@code request}, whose token was checked. */
    protected abstract Answer route(Request request);

    /** The service's error body for {@code status}, with its own code and message. */
    protected abstract String errorBody(int status, String code, String message);

    /** {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The bearer token the server accepts (default {@link Loopback#TOKEN}). */
    public void acceptToken(String accepted) {
        this.token = accepted;
    }

    /** Plays {@code fault} on the next request not yet faulted, in the order given. */
    public synchronized void fault(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body);
            requests.add(request);
            Fault fault = nextFault();
            if (fault instanceof Fault.Status status) {
                Map<String, String> headers = status.retryAfterSeconds() == null ? Map.of()
                        : Map.of("Retry-After", String.valueOf(status.retryAfterSeconds()));
                send(exchange, new Answer(status.status(), errorBody(status.status(), codeOf(status.status()),
                        "played by the stand-in"), headers));
                return;
            }
            if (fault instanceof Fault.Slow slow) {
                try {
                    Thread.sleep(slow.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Answer answer = ("Bearer " + token).equals(request.authorization()) ? route(request)
                    : new Answer(401, errorBody(401, codeOf(401), "the bearer token is missing or not valid"), Map.of());
            if (fault instanceof Fault.Lost) {
                return;
            }
            send(exchange, answer);
        } catch (RuntimeException e) {
            send(exchange, new Answer(500, errorBody(500, codeOf(500), String.valueOf(e)), Map.of()));
        }
    }

    /** An answer with the service's error body. */
    public Answer error(int status, String code, String message) {
        return Answer.json(status, errorBody(status, code, message));
    }

    /** The service's error code for a status, as its error bodies write it. */
    protected String codeOf(int status) {
        return switch (status) {
            case 400 -> "INVALID_PARAMETER_VALUE";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "RESOURCE_DOES_NOT_EXIST";
            case 409 -> "RESOURCE_CONFLICT";
            case 429 -> "REQUEST_LIMIT_EXCEEDED";
            default -> "INTERNAL_ERROR";
        };
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (bytes.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
