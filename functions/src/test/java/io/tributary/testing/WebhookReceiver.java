package io.tributary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real incoming-webhook stand-in on loopback: it records each POST's path and JSON body and answers from a script
 * (status and headers, in order), then 200 "ok" as Slack does.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One scripted answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), status == 200 ? "ok" : "error");
        }
    }

    /** One request received. */
    public record Received(String method, String path, String contentType, JsonNode body) {
    }

    /** The secret part of the URL the receiver hands out, as a webhook's would be. */
    public static final String SECRET_PATH = "/services/T0001/B0002/s3cr3tT0k3nXYZ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body.length == 0 ? null : JSON.readTree(body)));
                Answer answer;
                synchronized (script) {
                    answer = script.isEmpty() ? Answer.status(200) : script.poll();
                }
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), out.length);
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        });
        server.start();
    }

    /** Answers the next requests so, in order. */
    public WebhookReceiver answer(Answer... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
        return this;
    }

    /** The webhook's URL, with its secret path. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
