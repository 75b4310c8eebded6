package io.tributary.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a CRM's contacts API, on loopback, for demos and tests of a {@code source.rest} pipeline.
 *
 * <p>{@code GET /contacts} answers {@code {"data": [contact…], "links": {"next": url-or-null}}}, oldest
 * {@code updated_at} first, {@code page_size} (default: the size given at start) per page. A contact is
 * {@code {"id", "name", "email", "company", "updated_at", "deleted"}}; contact {@code i} was updated at
 * 2026-01-01T00:00:00Z plus {@code i} minutes, unless {@link #touch} or {@link #delete} moved it later. {@code updated_after=T} keeps the
 * contacts updated at or after {@code T} (inclusive, as many CRMs' filters are; an empty value keeps all). Every request
 * needs {@code Authorization: Bearer <token>}, else 401.
 *
 * <pre>{@code
 * try (SampleCrmApi crm = SampleCrmApi.start(0, "s3cret", 250, 100)) {
 *     // CRM_API_URL = crm.baseUrl(), CRM_API_TOKEN = "s3cret", and the definition's
 *     // "url": "%CRM_API_URL%/contacts?updated_after={watermark}",
 *     // "headers": {"Authorization": "Bearer %CRM_API_TOKEN%"}, "records": "/data",
 *     // "pagination": {"type": "nextLink", "path": "/links/next"}
 * }
 * }</pre>
 */
public final class SampleCrmApi implements AutoCloseable {

    /** When contact 0 was last updated; contact {@code i} a minute after contact {@code i-1}. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COMPANIES = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne"};

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final int pageSize;
    private final List<Instant> updatedAt = new ArrayList<>();
    private final java.util.Set<Integer> deleted = new java.util.HashSet<>();
    private final AtomicInteger requests = new AtomicInteger();

    private SampleCrmApi(HttpServer server, ExecutorService executor, String token, int contacts, int pageSize) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.pageSize = pageSize;
        for (int i = 0; i < contacts; i++) {
            updatedAt.add(EPOCH.plus(Duration.ofMinutes(i)));
        }
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port     the port, or 0 for a free one (see {@link #baseUrl()})
     * @param token    the bearer token every request must carry
     * @param contacts how many contacts there are
     * @param pageSize how many contacts a page has unless the request's {@code page_size} says otherwise
     */
    public static SampleCrmApi start(int port, String token, int contacts, int pageSize) {
        if (contacts < 0 || pageSize < 1) {
            throw new IllegalArgumentException("contacts must be >= 0 and pageSize >= 1");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "sample-crm-api");
                t.setDaemon(true);
                return t;
            });
            SampleCrmApi api = new SampleCrmApi(server, executor, token, contacts, pageSize);
            server.createContext("/contacts", api::handle);
            server.setExecutor(executor);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sample CRM API on 127.0.0.1:" + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash: the value of a {@code CRM_API_URL} setting. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests it has answered, rejected ones included. */
    public int requests() {
        return requests.get();
    }

    /** How many contacts it has. */
    public synchronized int contacts() {
        return updatedAt.size();
    }

    /** Adds {@code n} contacts, updated a minute apart after the latest one. */
    public synchronized void addContacts(int n) {
        Instant latest = updatedAt.stream().max(Instant::compareTo).orElse(EPOCH.minus(Duration.ofMinutes(1)));
        for (int i = 1; i <= n; i++) {
            updatedAt.add(latest.plus(Duration.ofMinutes(i)));
        }
    }

    /** Marks contact {@code id} as updated at {@code when}. */
    public synchronized void touch(int id, Instant when) {
        updatedAt.set(id, when);
    }

    /**
     * Deletes contact {@code id} at {@code when}: as CRMs with soft deletes do, it stays in the API, with
     * {@code "deleted": true} and that {@code updated_at}, so an incremental reader learns of it.
     */
    public synchronized void delete(int id, Instant when) {
        updatedAt.set(id, when);
        deleted.add(id);
    }

    /** The {@code updated_at} of contact {@code id}, as the API writes it. */
    public synchronized String updatedAt(int id) {
        return updatedAt.get(id).toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("only GET is supported"));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.equals("Bearer " + token)) {
                send(exchange, 401, error(authorization == null ? "missing bearer token" : "invalid bearer token"));
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI());
            Instant after;
            int page;
            int size;
            try {
                String updatedAfter = query.getOrDefault("updated_after", "");
                after = updatedAfter.isEmpty() ? Instant.MIN : OffsetDateTime.parse(updatedAfter).toInstant();
                page = Integer.parseInt(query.getOrDefault("page", "1"));
                size = Integer.parseInt(query.getOrDefault("page_size", String.valueOf(pageSize)));
                if (page < 1 || size < 1 || size > 1000) {
                    throw new NumberFormatException("page >= 1, 1 <= page_size <= 1000");
                }
            } catch (DateTimeParseException | NumberFormatException e) {
                send(exchange, 400, error("bad query: " + e.getMessage()));
                return;
            }
            send(exchange, 200, page(after, page, size, query));
        }
    }

    private synchronized byte[] page(Instant after, int page, int size, Map<String, String> query) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < updatedAt.size(); i++) {
            if (!updatedAt.get(i).isBefore(after)) {
                ids.add(i);
            }
        }
        ids.sort((a, b) -> updatedAt.get(a).equals(updatedAt.get(b)) ? Integer.compare(a, b)
                : updatedAt.get(a).compareTo(updatedAt.get(b)));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        int from = (int) Math.min((long) (page - 1) * size, ids.size());
        int to = Math.min(from + size, ids.size());
        for (int id : ids.subList(from, to)) {
            ObjectNode contact = data.addObject();
            contact.put("id", id);
            contact.put("name", "Contact " + id);
            contact.put("email", "contact" + id + "@example.com");
            contact.put("company", COMPANIES[id % COMPANIES.length]);
            contact.put("updated_at", updatedAt.get(id).toString());
            contact.put("deleted", deleted.contains(id));
        }
        ObjectNode links = body.putObject("links");
        if (to < ids.size()) {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("page", String.valueOf(page + 1));
            StringBuilder url = new StringBuilder(baseUrl()).append("/contacts");
            String separator = "?";
            for (Map.Entry<String, String> e : next.entrySet()) {
                url.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
                separator = "&";
            }
            links.put("next", url.toString());
        } else {
            links.putNull("next");
        }
        body.putObject("meta").put("total", ids.size());
        return JSON.writeValueAsBytes(body);
    }

    private static byte[] error(String message) throws IOException {
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.put(key, value);
                }
            }
        }
        return query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
