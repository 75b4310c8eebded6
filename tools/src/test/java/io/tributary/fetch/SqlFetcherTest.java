package io.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.SqlSource;
import io.tributary.local.SamplePostgres;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SqlFetcher} against a real PostgreSQL 14 (embedded, started once for the class). */
class SqlFetcherTest {

    private static SamplePostgres postgres;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws SQLException {
        postgres = SamplePostgres.start(0, 20);
        settings = new HashMap<>(Map.of("DB_URL", postgres.jdbcUrl(), "DB_USER", postgres.user(),
                "DB_PASSWORD", postgres.password()));
        sql("CREATE TABLE kinds (i int, big bigint, d numeric(20,6), r real, f double precision, flag boolean, "
                + "t text, day date, at timestamp, at_tz timestamptz, tm time, bytes bytea, tags text[], id uuid)");
        sql("INSERT INTO kinds VALUES (7, 9007199254740993, 12345678901234.000001, 0.1, 0.1, true, "
                + "'naïve \"quoted\"\nline', '2026-11-22', '2026-11-22 10:00:00', '2026-11-22 10:00:00+01', '10:30:00', "
                + "'\\x00ff10', ARRAY['a','b'], 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), "
                + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        sql("CREATE TABLE events (id int, updated_at timestamp, v text)");
        sql("INSERT INTO events VALUES (1, '2026-11-22 10:00:00', 'a'), (2, '2026-11-22 10:00:00.5', 'b'), "
                + "(3, '2026-11-22 11:00:00', 'c'), (4, NULL, 'no cursor')");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void writesEachTypeFaithfully() {
        Fetched fetched = fetch(source("SELECT * FROM kinds ORDER BY i NULLS LAST"), Optional.empty(), Map.of(),
                Optional.empty());

        assertEquals(List.of("{\"i\":7,\"big\":9007199254740993,\"d\":12345678901234.000001,\"r\":0.1,\"f\":0.1,"
                + "\"flag\":true,\"t\":\"naïve \\\"quoted\\\"\\nline\",\"day\":\"2026-11-22\","
                + "\"at\":\"2026-11-22T10:00:00\",\"at_tz\":\"2026-11-22T09:00:00Z\",\"tm\":\"10:30:00\","
                + "\"bytes\":\"AP8Q\",\"tags\":[\"a\",\"b\"],\"id\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"}",
                "{\"i\":null,\"big\":null,\"d\":null,\"r\":null,\"f\":null,\"flag\":null,\"t\":null,\"day\":null,"
                        + "\"at\":null,\"at_tz\":null,\"tm\":null,\"bytes\":null,\"tags\":null,\"id\":null}"),
                fetched.lines());
        assertEquals(2, fetched.result().records());
        assertEquals(fetched.text().getBytes(StandardCharsets.UTF_8).length, fetched.result().bytes());
        assertEquals(Optional.empty(), fetched.result().highWatermark());
    }

    @Test
    void bindsNamedParametersTypedAndLeavesLiteralsAndCastsAlone() {
        Fetched fetched = fetch(source("SELECT order_id, region, ':notAParam' AS text, '1'::int AS cast -- :comment\n"
                        + "FROM orders WHERE region = :region AND updated_at < :windowEnd AND order_id > :after "
                        + "ORDER BY order_id"), Optional.empty(),
                Map.of("region", "us", "windowEnd", "2026-11-01T00:10:00Z", "after", "3", "unused", "x"),
                Optional.empty());

        assertEquals(List.of("{\"order_id\":4,\"region\":\"us\",\"text\":\":notAParam\",\"cast\":1}",
                "{\"order_id\":7,\"region\":\"us\",\"text\":\":notAParam\",\"cast\":1}"), fetched.lines());
        String request = fetched.result().requests().get(0);
        assertTrue(request.startsWith("SQL " + postgres.jdbcUrl() + ": SELECT order_id"), request);
        assertTrue(request.contains("region = ? AND updated_at < ? AND order_id > ?"), request);
        assertTrue(request.endsWith("[region=us, windowEnd=2026-11-01T00:10:00Z, after=3]"), request);
        assertFalse(request.contains(postgres.password()), request);
    }

    @Test
    void theFirstRunIsAFullLoadAndLaterRunsReadOnlyRowsAfterTheMark() throws SQLException {
        Optional<Incremental> incremental = Optional.of(new Incremental("updated_at", Optional.empty()));
        SqlSource events = source("SELECT id, updated_at, v FROM events");

        Fetched first = fetch(events, incremental, Map.of(), Optional.empty());

        assertEquals(List.of("{\"id\":1,\"updated_at\":\"2026-11-22T10:00:00\",\"v\":\"a\"}",
                "{\"id\":2,\"updated_at\":\"2026-11-22T10:00:00.5\",\"v\":\"b\"}",
                "{\"id\":3,\"updated_at\":\"2026-11-22T11:00:00\",\"v\":\"c\"}",
                "{\"id\":4,\"updated_at\":null,\"v\":\"no cursor\"}"), first.lines());
        assertEquals(Optional.of("2026-11-22T11:00:00"), first.result().highWatermark());

        Fetched nothingNew = fetch(events, incremental, Map.of(), first.result().highWatermark());
        assertEquals(List.of(), nothingNew.lines());
        assertEquals(Optional.empty(), nothingNew.result().highWatermark());

        sql("INSERT INTO events VALUES (5, '2026-11-22 11:00:00.000001', 'd'), (6, '2026-11-22 12:00:00', 'e')");
        Fetched second = fetch(events, incremental, Map.of(), first.result().highWatermark());

        assertEquals(List.of("{\"id\":5,\"updated_at\":\"2026-11-22T11:00:00.000001\",\"v\":\"d\"}",
                "{\"id\":6,\"updated_at\":\"2026-11-22T12:00:00\",\"v\":\"e\"}"), second.lines());
        assertEquals(Optional.of("2026-11-22T12:00:00"), second.result().highWatermark());
        assertTrue(second.result().requests().get(0).endsWith("ORDER BY \"updated_at\" [updated_at > "
                + "2026-11-22T11:00:00]"), second.result().requests().get(0));

        // The mark between two rows of one second, with a fraction: neither is lost nor read twice.
        Fetched fromFraction = fetch(events, incremental, Map.of(), Optional.of("2026-11-22T10:00:00"));
        assertEquals(List.of(2, 3, 5, 6), ids(fromFraction));
        sql("DELETE FROM events WHERE id > 4");
    }

    @Test
    void anInitialValueBoundsTheFirstRunAndAnIdCursorWorksAsNumbers() {
        Optional<Incremental> incremental = Optional.of(new Incremental("ORDER_ID", Optional.of("17")));
        Fetched fetched = fetch(source("SELECT order_id, updated_at FROM orders"), incremental, Map.of(),
                Optional.empty());

        assertEquals(List.of("{\"order_id\":18,\"updated_at\":\"2026-11-01T00:18:30Z\"}",
                "{\"order_id\":19,\"updated_at\":\"2026-11-01T00:19:30Z\"}",
                "{\"order_id\":20,\"updated_at\":\"2026-11-01T00:20:30Z\"}"), fetched.lines());
        assertEquals(Optional.of("20"), fetched.result().highWatermark());

        Fetched byInstant = fetch(source("SELECT order_id, updated_at FROM orders"),
                Optional.of(new Incremental("updated_at", Optional.empty())), Map.of(),
                Optional.of("2026-11-01T01:18:30+01:00"));
        assertEquals(List.of(19, 20), ids(byInstant));
        assertEquals(Optional.of("2026-11-01T00:20:30Z"), byInstant.result().highWatermark());
    }

    @Test
    void aCursorThatIsNotAColumnIsAConfigurationErrorNamingTheColumns() {
        SourceException e = assertThrows(SourceException.class, () -> fetch(source("SELECT id, v FROM events"),
                Optional.of(new Incremental("updatedat", Optional.empty())), Map.of(), Optional.empty()));

        assertEquals(SourceException.Kind.CONFIGURATION, e.kind());
        assertEquals("the incremental cursor 'updatedat' is not a column of the query's result; columns: id, v "
                + "(fix source.incremental.cursor, or select the column in source.sql.query)", e.getMessage());
    }

    @Test
    void aMarkThatIsNotOfTheCursorsTypeIsAConfigurationError() {
        SourceException e = assertThrows(SourceException.class, () -> fetch(source("SELECT id, updated_at FROM events"),
                Optional.of(new Incremental("updated_at", Optional.of("yesterday"))), Map.of(), Optional.empty()));

        assertEquals(SourceException.Kind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().startsWith("the high-water mark 'yesterday' is not a timestamp value"), e.getMessage());
    }

    @Test
    void streamsALargeTableWithoutHoldingIt() throws Exception {
        sql("CREATE TABLE big AS SELECT n AS id, repeat('x', 300) || n AS payload FROM generate_series(1, 300000) n");
        try {
            SqlSource big = new SqlSource("%DB_URL%", Optional.of("%DB_USER%"), Optional.of("%DB_PASSWORD%"),
                    "password", "SELECT id, payload FROM big", 500, 600);
            HeapSampler sampler = new HeapSampler(8 * 1024 * 1024);

            FetchResult result = new SqlFetcher(big, Optional.empty()).fetch(context(Map.of(), Optional.empty()),
                    sampler);

            assertEquals(300_000, result.records());
            assertEquals(sampler.bytes, result.bytes());
            assertTrue(result.bytes() > 90_000_000L, "wrote " + result.bytes());
            assertTrue(sampler.samples >= 10, "samples " + sampler.samples);
            // Held whole, the rows would take well over 100 MB of heap (90 MB of text alone).
            long grown = sampler.maxUsed - sampler.baseline;
            assertTrue(grown < 24L * 1024 * 1024, "heap grew by " + grown / (1024 * 1024) + " MB while streaming");
        } finally {
            sql("DROP TABLE big");
        }
    }

    @Test
    void aWrongPasswordIsACredentialsErrorNamingTheSettings() {
        Map<String, String> wrong = new HashMap<>(settings);
        wrong.put("DB_PASSWORD", "not-the-password-42");

        SourceException e = assertThrows(SourceException.class, () -> new SqlFetcher(source("SELECT 1 AS one"),
                Optional.empty()).fetch(new FetchContext(Map.of(), n -> Optional.ofNullable(wrong.get(n)),
                Optional.empty()), new ByteArrayOutputStream()));

        assertEquals(SourceException.Kind.CREDENTIALS, e.kind());
        assertTrue(e.getMessage().startsWith("the database at " + postgres.jdbcUrl() + " refused the login (SQLState "
                + "28P01: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; check the app settings DB_USER and DB_PASSWORD (local.settings.json "
                + "Values, or the app's settings in Azure)"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password-42"), e.getMessage());
        assertFalse(e.kind().isTransient());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, String> elsewhere = new HashMap<>(settings);
        elsewhere.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/postgres?password=hunter2");

        SourceException e = assertThrows(SourceException.class, () -> new SqlFetcher(source("SELECT 1 AS one"),
                Optional.empty()).fetch(new FetchContext(Map.of(), n -> Optional.ofNullable(elsewhere.get(n)),
                Optional.empty()), new ByteArrayOutputStream()));

        assertEquals(SourceException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach the database at jdbc:postgresql://127.0.0.1:" + closed
                + "/postgres?password=*** (SQLState 08001: "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.kind().isTransient());
    }

    @Test
    void anUnknownTableIsRejectedWithTheDriversMessageAndTheQuery() {
        SourceException e = assertThrows(SourceException.class, () -> fetch(source("SELECT * FROM no_such_table"),
                Optional.empty(), Map.of(), Optional.empty()));

        assertEquals(SourceException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().contains("rejected the query: ERROR: relation \"no_such_table\" does not exist"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(SQLState 42P01); fix source.sql.query. Query: SELECT * FROM no_such_table"),
                e.getMessage());
    }

    @Test
    void aMissingSettingIsAConfigurationErrorNamingIt() {
        SqlSource source = new SqlSource("%ORDERS_DB_URL%", Optional.empty(), Optional.empty(), "password",
                "SELECT 1 AS one", 100, 60);

        SourceException e = assertThrows(SourceException.class, () -> fetch(source, Optional.empty(), Map.of(),
                Optional.empty()));

        assertEquals(SourceException.Kind.CONFIGURATION, e.kind());
        assertEquals("the app setting ORDERS_DB_URL (source.sql.url) is not set; set it in local.settings.json Values "
                + "or the app's settings", e.getMessage());
    }

    @Test
    void anUnknownParameterIsAConfigurationErrorListingTheRunsParameters() {
        SourceException e = assertThrows(SourceException.class, () -> fetch(source("SELECT * FROM orders WHERE "
                + "updated_at < :windowEnds"), Optional.empty(), Map.of("windowStart", "2026-11-01T00:00:00Z",
                "windowEnd", "2026-11-02T00:00:00Z"), Optional.empty()));

        assertEquals(SourceException.Kind.CONFIGURATION, e.kind());
        assertEquals("source.sql.query uses :windowEnds, but the run has no such parameter; did you mean 'windowEnd'?; "
                + "the run's parameters: windowEnd, windowStart (a schedule gives windowStart and windowEnd; give "
                + "others with the run)", e.getMessage());
    }

    @Test
    void theSampleDatabaseHoldsItsGeneratedOrders() {
        Fetched fetched = fetch(source("SELECT * FROM orders WHERE order_id IN (1, 4) ORDER BY order_id"),
                Optional.empty(), Map.of(), Optional.empty());

        assertEquals(List.of("{\"order_id\":1,\"customer_id\":\"c-0919\",\"region\":\"us\",\"amount\":0.37,"
                        + "\"paid\":true,\"created_at\":\"2026-11-01T00:01:00\",\"updated_at\":\"2026-11-01T00:01:30Z\"}",
                "{\"order_id\":4,\"customer_id\":\"c-0676\",\"region\":\"us\",\"amount\":1.48,\"paid\":false,"
                        + "\"created_at\":\"2026-11-01T00:04:00\",\"updated_at\":\"2026-11-01T00:04:30Z\"}"),
                fetched.lines());
    }

    // ---- helpers

    private static SqlSource source(String query) {
        return new SqlSource("%DB_URL%", Optional.of("%DB_USER%"), Optional.of("%DB_PASSWORD%"), "password", query, 2,
                60);
    }

    private static FetchContext context(Map<String, String> parameters, Optional<String> watermark) {
        return new FetchContext(parameters, n -> Optional.ofNullable(settings.get(n)), watermark);
    }

    private record Fetched(String text, FetchResult result) {
        List<String> lines() {
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }
    }

    private static Fetched fetch(SqlSource source, Optional<Incremental> incremental, Map<String, String> parameters,
                                 Optional<String> watermark) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FetchResult result = new SqlFetcher(source, incremental).fetch(context(parameters, watermark), out);
        return new Fetched(out.toString(StandardCharsets.UTF_8), result);
    }

    private static List<Integer> ids(Fetched fetched) {
        return fetched.lines().stream().map(l -> Integer.parseInt(l.replaceAll("^\\{\"(order_)?id\":(\\d+),.*", "$2")))
                .toList();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** Discards what is written, and measures the heap in use (after a collection) every {@code every} bytes. */
    private static final class HeapSampler extends OutputStream {
        final long every;
        final long baseline;
        long bytes;
        long maxUsed;
        int samples;
        private long next;

        HeapSampler(long every) {
            this.every = every;
            this.baseline = used();
            this.next = every;
        }

        @Override
        public void write(int b) {
            count(1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count(len);
        }

        private void count(int len) {
            bytes += len;
            if (bytes >= next) {
                next += every;
                samples++;
                maxUsed = Math.max(maxUsed, used());
            }
        }

        private static long used() {
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            return runtime.totalMemory() - runtime.freeMemory();
        }
    }
}
