package io.tributary.local;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.run.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the app's HTTP-triggered functions as {@code func start} does: on {@code http://127.0.0.1:7071/api/…}
 * by default, each function at its route ({@code {name}} segments bound as binding data, the query string too).
 * Like Core Tools, it does not ask for function keys: it listens on loopback only. In Azure each call needs the
 * function's key ({@code ?code=} or the {@code x-functions-key} header).
 */
final class HttpListener {

    /** The port {@code func start} uses. */
    static final int DEFAULT_PORT = 7071;
    /** The largest request body read. */
    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final List<Route> routes = new ArrayList<>();
    private final Invoker invoker;
    private final HostLog log;

    /** One function's route, as a pattern over the path after {@code /api/}. */
    private record Route(FunctionEntry function, Pattern pattern, List<String> names, List<HttpMethod> methods) {
    }

    HttpListener(List<FunctionEntry> functions, int port, Invoker invoker, HostLog log, ExecutorService workers)
            throws IOException {
        this.invoker = invoker;
        this.log = log;
        for (FunctionEntry function : functions) {
            if (function.trigger() instanceof HttpTrigger trigger) {
                routes.add(route(function, trigger));
            }
        }
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(workers);
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    /** The address functions are served at, e.g. {@code http://127.0.0.1:7071/api/}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    /** How a function is reached, for the host's start-up lines. */
    String describe(FunctionEntry function) {
        HttpTrigger trigger = (HttpTrigger) function.trigger();
        List<HttpMethod> methods = Arrays.asList(trigger.methods());
        return (methods.isEmpty() ? "[GET,POST]" : methods.toString().replace(" ", "")) + " " + base()
                + (trigger.route().isEmpty() ? function.name() : trigger.route());
    }

    private static Route route(FunctionEntry function, HttpTrigger trigger) {
        String template = trigger.route().isEmpty() ? function.name() : trigger.route();
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)[^}]*}").matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return new Route(function, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE), names,
                Arrays.asList(trigger.methods()));
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            answer(exchange);
        } catch (IOException e) {
            // The client went away before its answer was read (it timed out or gave up): the call itself went through.
            log.info("the client of " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + " disconnected before its answer was sent (" + e.getMessage() + ")");
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring("/api/".length());
        HttpMethod method = HttpMethod.value(exchange.getRequestMethod());
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (!route.methods().isEmpty() && !route.methods().contains(method)) {
                continue;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Map<String, String> bindingData = new LinkedHashMap<>(query);
            for (int i = 0; i < route.names().size(); i++) {
                bindingData.put(route.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(),
                    String.join(",", values)));
            Optional<Optional<String>> body = body(exchange);
            if (body.isEmpty()) {
                send(exchange, 413, "application/json", Json.bytes(Map.of("error", "the request body is over "
                        + MAX_BODY / 1024 + " KiB; send a smaller one")));
                return;
            }
            LocalHttpRequest request = new LocalHttpRequest(URI.create("http://" + headers.getOrDefault("host",
                    "127.0.0.1") + exchange.getRequestURI()), method, headers, query, body.get());
            Object response;
            try {
                response = invoker.invoke(route.function(), request, bindingData,
                        "This function was programmatically called via the host APIs.");
            } catch (Exception e) {
                log.warn(route.function().name() + " failed: " + e);
                // What failed inside the app is for its log; the client learns that it failed and where to look.
                send(exchange, 500, "application/json", Json.bytes(Map.of("error", "the function "
                        + route.function().name() + " failed inside the app; the host's log says why")));
                return;
            }
            respond(exchange, response);
            return;
        }
        send(exchange, pathKnown ? 405 : 404, "application/json", Json.bytes(Map.of("error", pathKnown
                ? exchange.getRequestMethod() + " is not allowed here" : "no function at /api/" + path)));
    }

    /** The request's body, empty when there is none; no body at all when it is over {@link #MAX_BODY}. */
    private static Optional<Optional<String>> body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                return Optional.empty();
            }
            return Optional.of(bytes.length == 0 ? Optional.empty()
                    : Optional.of(new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    private static void respond(HttpExchange exchange, Object response) throws IOException {
        if (!(response instanceof HttpResponseMessage message)) {
            send(exchange, response == null ? 204 : 200, "application/json",
                    response == null ? new byte[0] : Json.bytes(response));
            return;
        }
        if (message instanceof LocalHttpRequest.Response local) {
            local.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        }
        Object body = message.getBody();
        byte[] bytes = body == null ? new byte[0] : body instanceof byte[] raw ? raw
                : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Json.bytes(body);
        String type = Optional.ofNullable(message.getHeader("Content-Type")).orElse(body instanceof String
                ? "text/plain; charset=utf-8" : "application/json");
        send(exchange, message.getStatusCode(), type, bytes);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        return QueryString.parse(raw);
    }
}
