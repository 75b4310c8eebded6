package io.tributary.fetch;

import static io.tributary.fetch.LoopbackServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.RestSource;
import io.tributary.fetch.SourceException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RestFetcher} against a real HTTP server on loopback; back-off waits are recorded, not slept. */
class RestFetcherTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    /** Jitter 0: each back-off is half of base·2^(attempt-1). */
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(60), () -> 0.0, Clock.fixed(NOW, ZoneOffset.UTC));

    private LoopbackServer server;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What a fetch wrote. */
    private record Fetched(FetchResult result, List<String> lines) {
    }

    private static RestSource source(String url, String records, RestSource.Pagination pagination) {
        return new RestSource(url, Map.of(), records, pagination, 5, 3, 1_000_000, 100);
    }

    private static FetchContext context() {
        return new FetchContext(Map.of(), name -> Optional.empty(), Optional.empty());
    }

    private Fetched fetch(RestSource source, Optional<Incremental> incremental, FetchContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FetchResult result = new RestFetcher(source, incremental, POLICY, waits::add).fetch(context, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(out.size(), result.bytes());
        return new Fetched(result, text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0,
                text.split("\n", -1).length - 1));
    }

    private Fetched fetch(RestSource source) {
        return fetch(source, Optional.empty(), context());
    }

    private SourceException failure(RestSource source) {
        return assertThrows(SourceException.class, () -> fetch(source));
    }

    // ---- pagination

    @Test
    void followsNextLinksInTheBodyAbsoluteAndRelative() {
        server.route("/p1", x -> send(x, 200, "{\"data\": [{\"id\": 1}, {\"id\": 2}], \"links\": {\"next\": \""
                + server.url("/p2?x=1") + "\"}}"));
        server.route("/p2", x -> send(x, 200, "{\"data\": [{\"id\": 3}], \"links\": {\"next\": \"/p3\"}}"));
        server.route("/p3", x -> send(x, 200, "{\"data\": [], \"links\": {\"next\": null}}"));

        Fetched fetched = fetch(source(server.url("/p1"), "/data", new RestSource.NextLink("/links/next")));

        assertEquals(List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}"), fetched.lines());
        assertEquals(3, fetched.result().records());
        assertEquals(List.of("/p1", "/p2?x=1", "/p3"), server.uris());
        assertEquals(List.of("GET " + server.url("/p1"), "GET " + server.url("/p2?x=1"), "GET " + server.url("/p3")),
                fetched.result().requests());
        assertEquals(Optional.empty(), fetched.result().highWatermark());
    }

    @Test
    void followsTheLinkHeaderRelNext() {
        server.route("/items", x -> {
            String page = x.getRequestURI().getQuery() == null ? "1" : x.getRequestURI().getQuery().replace("page=", "");
            if (page.equals("1")) {
                x.getResponseHeaders().add("Link", "<" + server.url("/items?page=9") + ">; rel=\"last\", "
                        + "<" + server.url("/items?page=2") + ">; rel=\"next\"");
            } else if (page.equals("2")) {
                x.getResponseHeaders().add("Link", "</items?page=3>; rel=\"next last\"");
            }
            send(x, 200, "[{\"page\": " + page + "}]");
        });

        Fetched fetched = fetch(source(server.url("/items"), "", new RestSource.LinkHeader()));

        assertEquals(List.of("{\"page\":1}", "{\"page\":2}", "{\"page\":3}"), fetched.lines());
        assertEquals(List.of("/items", "/items?page=2", "/items?page=3"), server.uris());
    }

    @Test
    void pagesByOffsetAndLimitUntilAShortPage() {
        server.route("/rows", x -> {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            int offset = Integer.parseInt(q.get("start"));
            int limit = Integer.parseInt(q.get("count"));
            List<String> rows = new ArrayList<>();
            for (int i = offset; i < Math.min(offset + limit, 7); i++) {
                rows.add("{\"n\": " + i + "}");
            }
            send(x, 200, "{\"rows\": [" + String.join(",", rows) + "]}");
        });

        Fetched fetched = fetch(source(server.url("/rows?kind=a"), "/rows", new RestSource.Offset("start", "count", 3)));

        assertEquals(7, fetched.result().records());
        assertEquals("{\"n\":6}", fetched.lines().get(6));
        assertEquals(List.of("/rows?kind=a&start=0&count=3", "/rows?kind=a&count=3&start=3",
                "/rows?kind=a&count=3&start=6"), server.uris());
    }

    @Test
    void anEmptyPageEndsOffsetPaging() {
        server.route("/rows", x -> {
            int offset = Integer.parseInt(query(x.getRequestURI().getRawQuery()).get("offset"));
            send(x, 200, offset == 0 ? "{\"rows\": [{\"n\": 0}, {\"n\": 1}]}" : "{\"rows\": []}");
        });

        Fetched fetched = fetch(source(server.url("/rows"), "/rows", new RestSource.Offset("offset", "limit", 2)));

        assertEquals(2, fetched.result().records());
        assertEquals(List.of("/rows?offset=0&limit=2", "/rows?limit=2&offset=2"), server.uris());
    }

    @Test
    void pagesByCursorUntilItIsAbsent() {
        server.route("/events", x -> {
            String cursor = query(x.getRequestURI().getRawQuery()).getOrDefault("after", "");
            switch (cursor) {
                case "" -> send(x, 200, "{\"items\": [{\"e\": \"a\"}], \"meta\": {\"next_cursor\": \"c/2 x\"}}");
                case "c/2 x" -> send(x, 200, "{\"items\": [{\"e\": \"b\"}], \"meta\": {\"next_cursor\": 3}}");
                default -> send(x, 200, "{\"items\": [{\"e\": \"c\"}], \"meta\": {\"next_cursor\": \"\"}}");
            }
        });

        Fetched fetched = fetch(source(server.url("/events"), "/items", new RestSource.Cursor("/meta/next_cursor", "after")));

        assertEquals(List.of("{\"e\":\"a\"}", "{\"e\":\"b\"}", "{\"e\":\"c\"}"), fetched.lines());
        assertEquals(List.of("/events", "/events?after=c%2F2%20x", "/events?after=3"), server.uris());
    }

    @Test
    void aNextLinkToTheSamePageIsAMalformedResponse() {
        server.route("/loop", x -> send(x, 200, "{\"data\": [], \"next\": \"/loop\"}"));

        SourceException e = failure(source(server.url("/loop"), "/data", new RestSource.NextLink("/next")));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("page 1 (GET " + server.url("/loop") + ") names itself as the next page"),
                e.getMessage());
    }

    @Test
    void moreThanMaxPagesIsTooLarge() {
        server.route("/p", x -> send(x, 200, "{\"data\": [{}], \"next\": \"/p?n="
                + (x.getRequestURI().getQuery() == null ? 1 : x.getRequestURI().getQuery().length()) + "\"}"));
        RestSource source = new RestSource(server.url("/p"), Map.of(), "/data", new RestSource.NextLink("/next"), 5, 1,
                1000, 2);

        SourceException e = failure(source);

        assertEquals(Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().startsWith("the API has more than 2 pages (source.rest.maxPages)"), e.getMessage());
        assertEquals(2, server.received.size());
    }

    // ---- retries and failures

    @Test
    void a429WithRetryAfterIsWaitedOutThenSucceeds() {
        int[] calls = {0};
        server.route("/busy", x -> {
            calls[0]++;
            if (calls[0] == 1) {
                x.getResponseHeaders().add("Retry-After", "2");
                send(x, 429, "{\"error\": \"slow down\"}");
            } else if (calls[0] == 2) {
                x.getResponseHeaders().add("Retry-After", "Sun, 22 Nov 2026 12:00:07 GMT");
                send(x, 429, "");
            } else if (calls[0] == 3) {
                send(x, 502, "bad gateway");
            } else {
                send(x, 200, "[{\"ok\": true}]");
            }
        });
        RestSource source = new RestSource(server.url("/busy"), Map.of(), "", new RestSource.Single(), 5, 4, 1000, 10);

        Fetched fetched = fetch(source);

        assertEquals(List.of("{\"ok\":true}"), fetched.lines());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofMillis(1000)), waits);
        assertEquals(List.of("GET " + server.url("/busy")), fetched.result().requests());
    }

    @Test
    void a503OnEveryAttemptIsUnavailableAfterMaxAttempts() {
        server.route("/down", x -> send(x, 503, "{\"error\": \"maintenance until noon\"}"));

        SourceException e = failure(source(server.url("/down"), "", new RestSource.Single()));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.kind().isTransient());
        assertFalse(e.retryable(), "the fetch used its maxAttempts: a new delivery would only start it again at once");
        assertEquals("HTTP 503 from GET " + server.url("/down") + " on each of 3 attempts (the API failed): "
                + "{\"error\": \"maintenance until noon\"}; run it again later, or raise source.rest.maxAttempts",
                e.getMessage());
        assertEquals(3, server.received.size());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), waits);
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsAtOnce() {
        server.route("/later", x -> {
            x.getResponseHeaders().add("Retry-After", "3600");
            send(x, 429, "");
        });

        SourceException e = failure(source(server.url("/later"), "", new RestSource.Single()));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("HTTP 429 from GET " + server.url("/later") + ": the server asked to wait 3600 s (Retry-After) "
                + "before trying again, more than the 60 s a fetch waits; the run fails without calling it again: run "
                + "it again after that time", e.getMessage());
        assertFalse(e.retryable(), "a new delivery seconds later would call a server that asked for an hour");
        assertEquals(1, server.received.size());
        assertEquals(List.of(), waits);
    }

    @Test
    void aRefusedConnectionIsUnreachableAfterBackingOff() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        SourceException e = failure(source("http://127.0.0.1:" + port + "/x", "", new RestSource.Single()));

        assertEquals(Kind.UNREACHABLE, e.kind());
        assertEquals("GET http://127.0.0.1:" + port + "/x failed on each of 3 attempts: the connection was refused; "
                + "check that the API's address is right, that it is up and reachable from here", e.getMessage());
        assertFalse(e.retryable(), "after its own 3 attempts the fetch is not started again by a new delivery");
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), waits);
    }

    @Test
    void noAnswerWithinTheTimeoutIsUnreachable() {
        server.route("/slow", x -> {
            Thread.sleep(3000);
            send(x, 200, "[]");
        });
        RestSource source = new RestSource(server.url("/slow"), Map.of(), "", new RestSource.Single(), 1, 1, 1000, 10);

        long start = System.nanoTime();
        SourceException e = failure(source);

        assertEquals(Kind.UNREACHABLE, e.kind());
        assertEquals("GET " + server.url("/slow") + " failed on the only attempt: no response within 1 s "
                + "(timeoutSeconds); check that the API's address is right, that it is up and reachable from here",
                e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2900);
    }

    @Test
    void aBodyThatStallsAfterItsHeadersIsUnreachableAfterTheTimeout() {
        server.route("/stall", x -> {
            x.sendResponseHeaders(200, 0);
            x.getResponseBody().write("{\"data\": [{\"id\": 1},".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            Thread.sleep(4000);
            x.close();
        });
        RestSource source = new RestSource(server.url("/stall"), Map.of(), "/data", new RestSource.Single(), 1, 1,
                1000, 10);

        SourceException e = failure(source);

        assertEquals(Kind.UNREACHABLE, e.kind());
        assertEquals("page 1 (GET " + server.url("/stall") + ") did not arrive in full within 1 s (timeoutSeconds): "
                + "20 bytes came; the API stalled, or raise timeoutSeconds for large pages", e.getMessage());
        assertTrue(e.retryable(), "a body that breaks off is not retried within the fetch, so a new delivery may");
    }

    @Test
    void a401IsACredentialsProblemNamingTheSettingAndIsNotRetried() {
        server.route("/me", x -> send(x, 401, "{\"error\": \"token expired\"}"));
        RestSource source = new RestSource(server.url("/me"), Map.of("Authorization", "Bearer %CRM_API_TOKEN%"), "",
                new RestSource.Single(), 5, 3, 1000, 10);
        FetchContext context = new FetchContext(Map.of(), n -> Optional.of("tok-123"), Optional.empty());

        SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), context));

        assertEquals(Kind.CREDENTIALS, e.kind());
        assertEquals("HTTP 401 from GET " + server.url("/me") + ": the API refused the credentials; check the app "
                + "settings it sends: CRM_API_TOKEN (header Authorization): {\"error\": \"token expired\"}", e.getMessage());
        assertFalse(e.retryable());
        assertEquals(1, server.received.size());
        assertEquals("Bearer tok-123", server.received.get(0).authorization());
    }

    @Test
    void anotherClientErrorIsRejectedWithTheStartOfTheBody() {
        server.route("/gone", x -> send(x, 404, "{\"error\": \"no such list\", \"pad\": \"" + "x".repeat(400) + "\"}"));

        SourceException e = failure(source(server.url("/gone"), "", new RestSource.Single()));

        assertEquals(Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().startsWith("HTTP 404 from GET " + server.url("/gone") + ": the API rejected the "
                + "request: {\"error\": \"no such list\", \"pad\": \"xxx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("x…; check the url, its parameters and the headers"), e.getMessage());
        assertEquals(1, server.received.size());
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        server.route("/html", x -> {
            byte[] html = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html");
            x.sendResponseHeaders(200, html.length);
            x.getResponseBody().write(html);
        });

        SourceException e = failure(source(server.url("/html"), "/data", new RestSource.Single()));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().startsWith("page 1 (GET " + server.url("/html") + ") is not JSON (Content-Type: "
                + "text/html): Unexpected character ('<'"), e.getMessage());
    }

    @Test
    void aMissingRecordsPathIsMalformedAndSaysWhatTheBodyHas() {
        server.route("/x", x -> send(x, 200, "{\"items\": [], \"meta\": {}}"));

        SourceException e = failure(source(server.url("/x"), "/data", new RestSource.Single()));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals("page 1 (GET " + server.url("/x") + ") has nothing at /data, where source.rest.records says its "
                + "array of records is; the body's top-level fields are items, meta", e.getMessage());
    }

    @Test
    void aRecordThatIsNotAnObjectIsMalformed() {
        server.route("/x", x -> send(x, 200, "[{\"a\": 1}, 42]"));

        SourceException e = failure(source(server.url("/x"), "", new RestSource.Single()));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals("record 1 of page 1 (GET " + server.url("/x") + ") at \"\" (the body) is number 42, not a JSON "
                + "object", e.getMessage());
    }

    @Test
    void aPageOverTheSizeLimitIsTooLargeWithOrWithoutContentLength() {
        String big = "[" + "{\"a\": 1},".repeat(500) + "{\"a\": 1}]";
        server.route("/sized", x -> send(x, 200, big));
        server.route("/chunked", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write(big.getBytes(StandardCharsets.UTF_8));
            }
        });
        RestSource sized = new RestSource(server.url("/sized"), Map.of(), "", new RestSource.Single(), 5, 1, 1000, 10);
        RestSource chunked = new RestSource(server.url("/chunked"), Map.of(), "", new RestSource.Single(), 5, 1, 1000, 10);

        SourceException declared = failure(sized);
        SourceException streamed = failure(chunked);

        assertEquals(Kind.TOO_LARGE, declared.kind());
        assertEquals("page 1 (GET " + server.url("/sized") + ") is " + big.length() + " bytes, over "
                + "source.rest.maxResponseBytes (1000); raise it, or ask for smaller pages (e.g. a lower page size)",
                declared.getMessage());
        assertEquals(Kind.TOO_LARGE, streamed.kind());
        assertTrue(streamed.getMessage().contains(") is more than 1000 bytes, over source.rest.maxResponseBytes"),
                streamed.getMessage());
    }

    // ---- redirects and origins: the headers (credentials) go to the origin of source.rest.url only

    private static final Map<String, String> BEARER = Map.of("Authorization", "Bearer %CRM_API_TOKEN%");

    private static FetchContext withToken() {
        return new FetchContext(Map.of(), n -> Optional.of(n.equals("CRM_API_TOKEN") ? "tok-123" : "unset"),
                Optional.empty());
    }

    @Test
    void redirectsOnTheSameOriginAreFollowedWithTheHeadersAndNextLinksResolveAgainstTheFinalUrl() {
        server.route("/v1/items", x -> {
            x.getResponseHeaders().add("Location", "/v2/items");
            send(x, 301, "");
        });
        server.route("/v2/items", x -> {
            if (x.getRequestURI().getQuery() == null) {
                send(x, 200, "{\"data\": [{\"id\": 1}], \"next\": \"items?page=2\"}");
            } else {
                x.getResponseHeaders().add("Location", server.url("/v3/items?page=2"));
                send(x, 307, "");
            }
        });
        server.route("/v3/items", x -> send(x, 200, "{\"data\": [{\"id\": 2}]}"));
        RestSource source = new RestSource(server.url("/v1/items"), BEARER, "/data", new RestSource.NextLink("/next"),
                5, 1, 1000, 10);

        Fetched fetched = fetch(source, Optional.empty(), withToken());

        assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), fetched.lines());
        assertEquals(List.of("/v1/items", "/v2/items", "/v2/items?page=2", "/v3/items?page=2"), server.uris());
        assertEquals(List.of("Bearer tok-123", "Bearer tok-123", "Bearer tok-123", "Bearer tok-123"),
                server.received.stream().map(LoopbackServer.Received::authorization).toList());
        assertEquals(List.of("GET " + server.url("/v1/items") + " [Authorization: ***]",
                "GET " + server.url("/v2/items?page=2") + " [Authorization: ***]"), fetched.result().requests(),
                "the lineage lists the requests the pagination made");
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndTheOtherServerReceivesNothing() throws Exception {
        try (LoopbackServer other = new LoopbackServer()) {
            other.route("/", x -> send(x, 200, "[{\"stolen\": true}]"));
            server.route("/items", x -> {
                x.getResponseHeaders().add("Location", other.url("/items?key=tok-123"));
                send(x, 302, "");
            });
            RestSource source = new RestSource(server.url("/items"), BEARER, "", new RestSource.Single(), 5, 3, 1000,
                    10);

            SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), withToken()));

            assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
            assertFalse(e.retryable());
            assertEquals("HTTP 302 from GET " + server.url("/items") + " redirects to " + other.url("/items?key=***")
                    + ", on another origin (" + other.url("") + ", not " + server.url("") + "); it is not followed: "
                    + "the request's headers (credentials) are never sent to another origin; if that is the API's "
                    + "address, set source.rest.url to it (the final URL, after any redirects)", e.getMessage());
            assertEquals(List.of(), other.received, "the other origin was never called");
            assertEquals(List.of("/items"), server.uris(), "refused at once, not retried");
        }
    }

    @Test
    void moreThanFiveRedirectsForOnePageAreRefused() {
        server.route("/hop", x -> {
            int n = x.getRequestURI().getQuery() == null ? 0 : Integer.parseInt(x.getRequestURI().getQuery());
            x.getResponseHeaders().add("Location", "/hop?" + (n + 1));
            send(x, 302, "");
        });

        SourceException e = failure(source(server.url("/hop"), "", new RestSource.Single()));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals("HTTP 302 from GET " + server.url("/hop?5") + " redirects to " + server.url("/hop?6")
                + ", the 6th redirect in a row for one page; a page follows at most 5: set source.rest.url to the "
                + "API's final URL", e.getMessage());
        assertEquals(List.of("/hop", "/hop?1", "/hop?2", "/hop?3", "/hop?4", "/hop?5"), server.uris());
    }

    @Test
    void aNextLinkToAnotherOriginIsRefusedAndTheOtherServerReceivesNothing() throws Exception {
        try (LoopbackServer other = new LoopbackServer()) {
            other.route("/", x -> send(x, 200, "{\"data\": [{\"id\": 2}]}"));
            server.route("/p1", x -> send(x, 200, "{\"data\": [{\"id\": 1}], \"next\": \"" + other.url("/p2")
                    + "\"}"));
            RestSource source = new RestSource(server.url("/p1"), BEARER, "/data", new RestSource.NextLink("/next"), 5,
                    3, 1000, 10);

            SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), withToken()));

            assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
            assertFalse(e.retryable());
            assertEquals("the next link in /next of page 1 (GET " + server.url("/p1") + ") is " + other.url("/p2")
                    + ", on another origin (" + other.url("") + ", not " + server.url("") + "); it is not followed: "
                    + "the request's headers (credentials) are never sent to another origin; if the API pages on that "
                    + "origin, set source.rest.url to it", e.getMessage());
            assertEquals(List.of(), other.received, "the other origin was never called");
            assertEquals(List.of("/p1"), server.uris());
        }
    }

    @Test
    void aNextLinkFromHttpsToHttpOrAnotherPortIsRefusedAndOneOnTheSameOriginIsKept() {
        Page page = new Page(new RestRequest(java.net.URI.create("https://api.example.com/v1/items"),
                "https://api.example.com/v1/items"), 1, com.fasterxml.jackson.databind.node.NullNode.getInstance(),
                java.net.http.HttpHeaders.of(Map.of(), (name, value) -> true));
        Secrets secrets = new Secrets();

        SourceException downgrade = assertThrows(SourceException.class,
                () -> NextLinks.resolve(page, "http://api.example.com/v1/items?page=2", "the Link header", secrets));
        SourceException port = assertThrows(SourceException.class,
                () -> NextLinks.resolve(page, "https://api.example.com:8443/v1/items?page=2", "the Link header",
                        secrets));

        assertEquals(Kind.MALFORMED_RESPONSE, downgrade.kind());
        assertEquals("the next link in the Link header of page 1 (GET https://api.example.com/v1/items) is "
                + "http://api.example.com/v1/items?page=2, on another origin (http://api.example.com:80, not "
                + "https://api.example.com:443); it is not followed: the request's headers (credentials) are never "
                + "sent to another origin, nor unencrypted over http; if the API pages on that origin, set "
                + "source.rest.url to it", downgrade.getMessage());
        assertTrue(port.getMessage().contains(", on another origin (https://api.example.com:8443, not "
                + "https://api.example.com:443); it is not followed"), port.getMessage());
        assertEquals(java.net.URI.create("https://API.example.com:443/v1/items?page=2"),
                NextLinks.resolve(page, "https://API.example.com:443/v1/items?page=2", "the Link header", secrets)
                        .uri(), "the same origin, spelled with the host's case and the default port");
    }

    // ---- placeholders and secrets

    @Test
    void settingsAndParametersAreExpandedEncodedAndSecretsMasked() {
        server.route("/api/contacts", x -> {
            String query = x.getRequestURI().getRawQuery();
            send(x, 200, query.contains("page=2") ? "{\"data\": [{\"id\": 2}]}"
                    : "{\"data\": [{\"id\": 1}], \"next\": \"/api/contacts?" + query + "&page=2\"}");
        });
        Map<String, String> settings = Map.of("CRM_API_URL", server.url("/api"), "CRM_API_TOKEN", "tok en/+1",
                "CRM_KEY", "k3y&=");
        RestSource source = new RestSource("%CRM_API_URL%/contacts?key=%CRM_KEY%&from={windowStart}&q={query}",
                new java.util.LinkedHashMap<>(Map.of("Authorization", "Bearer %CRM_API_TOKEN%")), "/data",
                new RestSource.NextLink("/next"), 5, 1, 10_000, 10);
        FetchContext context = new FetchContext(Map.of("windowStart", "2026-11-22T00:00:00+01:00", "query", "a b"),
                name -> Optional.ofNullable(settings.get(name)), Optional.empty());

        Fetched fetched = fetch(source, Optional.empty(), context);

        assertEquals(2, fetched.result().records());
        assertEquals("/api/contacts?key=k3y%26%3D&from=2026-11-22T00%3A00%3A00%2B01%3A00&q=a%20b",
                server.received.get(0).uri());
        assertEquals("Bearer tok en/+1", server.received.get(0).authorization());
        assertEquals(List.of(
                "GET " + server.url("/api/contacts?key=***&from=2026-11-22T00%3A00%3A00%2B01%3A00&q=a%20b")
                        + " [Authorization: ***]",
                "GET " + server.url("/api/contacts?key=***&from=2026-11-22T00%3A00%3A00%2B01%3A00&q=a%20b&page=2")
                        + " [Authorization: ***]"), fetched.result().requests());
        assertFalse(String.join(" ", fetched.result().requests()).contains("k3y"));
    }

    @Test
    void aMissingSettingIsAConfigurationProblemNamingIt() {
        RestSource source = new RestSource("https://crm.example.com/x", Map.of("X-Api-Key", "%CRM_KEY%"), "",
                new RestSource.Single(), 5, 1, 1000, 10);

        SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), context()));

        assertEquals(Kind.CONFIGURATION, e.kind());
        assertEquals("the app setting 'CRM_KEY', used in header 'X-Api-Key' of source.rest, is not set; set it in "
                + "local.settings.json Values or the app's settings", e.getMessage());
    }

    @Test
    void anUnknownParameterIsAConfigurationProblemListingTheAvailableOnes() {
        RestSource source = source("https://crm.example.com/x?since={since}", "", new RestSource.Single());
        FetchContext context = new FetchContext(Map.of("windowStart", "a", "windowEnd", "b"), n -> Optional.empty(),
                Optional.empty());

        SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), context));

        assertEquals(Kind.CONFIGURATION, e.kind());
        assertEquals("the url of source.rest uses the run parameter {since}, which this run does not have; available: "
                + "watermark, windowEnd, windowStart (give others with the run, or write %since% for an app setting)",
                e.getMessage());
    }

    // ---- incremental

    private void contactsUpdatedAt(String... times) {
        server.route("/c", x -> {
            List<String> records = new ArrayList<>();
            for (int i = 0; i < times.length; i++) {
                records.add("{\"id\": " + i + ", \"updated_at\": \"" + times[i] + "\"}");
            }
            send(x, 200, "{\"data\": [" + String.join(",", records) + "]}");
        });
    }

    @Test
    void recordsAtOrBeforeTheWatermarkAreDroppedAndTheHighWatermarkIsTheLargestCursor() {
        contactsUpdatedAt("2026-03-01T10:00:00Z", "2026-03-01T12:00:00+02:00", "2026-03-01T10:30:00Z",
                "2026-03-01T09:00:00Z");
        RestSource source = source(server.url("/c?updated_after={watermark}"), "/data", new RestSource.Single());
        FetchContext context = new FetchContext(Map.of(), n -> Optional.empty(), Optional.of("2026-03-01T10:00:00Z"));

        Fetched fetched = fetch(source, Optional.of(new Incremental("updated_at", Optional.of("2000-01-01T00:00:00Z"))),
                context);

        assertEquals(List.of("{\"id\":2,\"updated_at\":\"2026-03-01T10:30:00Z\"}"), fetched.lines());
        assertEquals(Optional.of("2026-03-01T10:30:00Z"), fetched.result().highWatermark());
        assertEquals(List.of("/c?updated_after=2026-03-01T10%3A00%3A00Z"), server.uris());
    }

    @Test
    void aFirstRunStartsFromTheInitialValueOrReadsEverything() {
        server.route("/n", x -> send(x, 200, "[{\"seq\": 9}, {\"seq\": 10}, {\"seq\": 100}, {\"seq\": 8}]"));
        RestSource source = source(server.url("/n?since={watermark}&x=1"), "", new RestSource.Single());

        Fetched fromInitial = fetch(source, Optional.of(new Incremental("seq", Optional.of("9"))), context());
        Fetched everything = fetch(source, Optional.of(new Incremental("seq", Optional.empty())), context());

        assertEquals(List.of("{\"seq\":10}", "{\"seq\":100}"), fromInitial.lines());
        assertEquals(Optional.of("100"), fromInitial.result().highWatermark());
        assertEquals(4, everything.result().records());
        assertEquals(Optional.of("100"), everything.result().highWatermark());
        assertEquals(List.of("/n?since=9&x=1", "/n?x=1"), server.uris());
    }

    @Test
    void aRecordWithoutTheCursorIsMalformedNamingPageAndIndex() {
        contactsUpdatedAt("2026-03-01T10:00:00Z");
        server.route("/d", x -> send(x, 200, "{\"data\": [{\"updated_at\": \"2026-01-01T00:00:00Z\"}, {\"id\": 7}]}"));

        SourceException e = assertThrows(SourceException.class, () -> fetch(source(server.url("/d"), "/data",
                new RestSource.Single()), Optional.of(new Incremental("updated_at", Optional.empty())), context()));

        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals("record 1 of page 1 (GET " + server.url("/d") + ") has no 'updated_at', the incremental cursor; "
                + "every record needs it (or change incremental.cursor)", e.getMessage());
    }

    /** Splits a raw query into decoded names and values. */
    private static Map<String, String> query(String raw) {
        Map<String, String> query = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
