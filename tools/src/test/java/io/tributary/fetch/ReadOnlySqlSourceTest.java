package io.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.SqlSource;
import io.tributary.local.SamplePostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code source.sql} query cannot change a real PostgreSQL 14, whatever its text: each hostile query goes through
 * the fetcher as a run sends it (with no {@code validate} before it), and the database is the same afterwards, down to
 * its tables, rows, sequence, large objects and the login's settings.
 */
class ReadOnlySqlSourceTest {

    /** What follows a query that closes the subquery Tributary wraps it in, to start statements of its own. */
    private static final String ESCAPE = ") tributary_source; ";
    private static final String REOPEN = "; SELECT * FROM (SELECT 1 AS one";

    private static SamplePostgres postgres;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws SQLException {
        postgres = SamplePostgres.start(0, 20);
        settings = new HashMap<>(Map.of("DB_URL", postgres.jdbcUrl(), "DB_USER", postgres.user(),
                "DB_PASSWORD", postgres.password()));
        sql("CREATE TABLE marker (note text)");
        sql("INSERT INTO marker VALUES ('untouched')");
        sql("CREATE SEQUENCE ids");
        sql("CREATE FUNCTION writes() RETURNS text LANGUAGE sql AS $$INSERT INTO marker VALUES ('function') "
                + "RETURNING note$$");
        sql("CREATE PROCEDURE writes_too() LANGUAGE sql AS $$INSERT INTO marker VALUES ('procedure')$$");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    static Stream<Arguments> hostileQueries() {
        String insert = "INSERT INTO marker VALUES ('written')";
        String create = "CREATE TABLE made (i int)";
        String inTheWrap = "syntax error at or near";
        String notSent = "would go to the database as ";
        return Stream.of(
                Arguments.of("stacked after ';'", "SELECT 1 AS one; " + insert, inTheWrap),
                Arguments.of("stacked after closing the wrap", "SELECT 1 AS one" + ESCAPE + insert + REOPEN,
                        notSent + "3 statements"),
                Arguments.of("ARRAY[']'] read as a quoted name",
                        "SELECT ARRAY[']']::text AS x; COMMIT; CREATE TABLE t(i int); SELECT 'y' AS x --'", inTheWrap),
                Arguments.of("ARRAY[')'] closing the wrap", "SELECT ARRAY[')']::text AS x" + ESCAPE + "COMMIT; "
                        + create + REOPEN + " --'", notSent + "4 statements"),
                Arguments.of("COMMIT first", "COMMIT; " + create, inTheWrap),
                Arguments.of("COMMIT after closing the wrap", "SELECT 1 AS one" + ESCAPE + "COMMIT; " + create + REOPEN,
                        notSent + "4 statements"),
                Arguments.of("ROLLBACK then a write", "ROLLBACK; " + insert + "; SELECT 1 AS one", inTheWrap),
                Arguments.of("SET read-write then a write", "SET default_transaction_read_only = off; " + insert,
                        inTheWrap),
                Arguments.of("SET SESSION after closing the wrap", "SELECT 1 AS one" + ESCAPE
                        + "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; " + insert + REOPEN,
                        notSent + "4 statements"),
                Arguments.of("set_config of the transaction", "SELECT set_config('transaction_read_only', 'off', true) "
                        + "AS off, writes() AS w", "transaction read-write mode must be set before any query"),
                Arguments.of("COPY from a program", "COPY marker FROM PROGRAM 'echo copied'", inTheWrap),
                Arguments.of("DO block", "DO $$BEGIN " + insert + "; END$$", inTheWrap),
                Arguments.of("DO block after closing the wrap", "SELECT 1 AS one" + ESCAPE + "DO $$BEGIN " + insert
                        + "; END$$" + REOPEN, notSent + "3 statements"),
                Arguments.of("CALL a procedure", "CALL writes_too()", inTheWrap),
                Arguments.of("nextval", "SELECT nextval('ids') AS id", "cannot execute nextval() in a read-only "
                        + "transaction"),
                Arguments.of("setval", "SELECT setval('ids', 42) AS id", "cannot execute setval() in a read-only "
                        + "transaction"),
                Arguments.of("a function that writes", "SELECT writes() AS w", "cannot execute INSERT in a read-only "
                        + "transaction"),
                Arguments.of("SELECT FOR UPDATE", "SELECT * FROM marker FOR UPDATE", "cannot execute SELECT FOR UPDATE "
                        + "in a read-only transaction"),
                Arguments.of("CREATE TEMP TABLE", "CREATE TEMP TABLE scratch AS SELECT 1 AS one", inTheWrap),
                Arguments.of("SELECT INTO a new table", "SELECT * INTO newtable FROM marker",
                        "SELECT ... INTO is not allowed here"),
                Arguments.of("SELECT INTO a temporary table", "SELECT 1 AS one INTO TEMP scratch",
                        "SELECT ... INTO is not allowed here"),
                Arguments.of("WITH … DELETE … RETURNING", "WITH gone AS (DELETE FROM marker RETURNING *) "
                        + "SELECT * FROM gone", "WITH clause containing a data-modifying statement must be at the top "
                        + "level"),
                Arguments.of("EXPLAIN ANALYZE of a write", "EXPLAIN ANALYZE " + insert, inTheWrap),
                Arguments.of("E'…' escape closing the wrap", "SELECT E'\\'' AS q" + ESCAPE + insert + REOPEN,
                        notSent + "3 statements"),
                Arguments.of("standard string ending in a backslash", "SELECT '\\' AS q" + ESCAPE + insert + REOPEN,
                        notSent + "3 statements"),
                Arguments.of("dollar quote closing the wrap", "SELECT $x$ ' $x$ AS q" + ESCAPE + insert + REOPEN,
                        notSent + "3 statements"),
                Arguments.of("nested comment closing the wrap", "SELECT 1 AS one /* /* */ */" + ESCAPE + insert
                        + REOPEN, notSent + "3 statements"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileQueries")
    void aQueryThatWouldWriteFailsAndTheDatabaseIsUnchanged(String family, String query, String said)
            throws SQLException {
        String before = fingerprint();

        SourceException e = assertThrows(SourceException.class, () -> fetch(settings, query));

        assertTrue(e.getMessage().contains(said), family + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("source.sql") || e.getMessage().contains("a source only reads"),
                family + " says how to fix it: " + e.getMessage());
        assertEquals(before, fingerprint(), family);
    }

    @Test
    void aStatementSplitOutsideTheWrapIsNeverSent() {
        SourceException e = assertThrows(SourceException.class, () -> fetch(settings, "SELECT 1 AS one" + ESCAPE
                + "INSERT INTO marker VALUES ('written')" + REOPEN));

        assertEquals(SourceException.Kind.REJECTED, e.kind());
        assertEquals("the query would go to the database as 3 statements (PostgreSQL's driver splits the text at "
                + "each ';' outside quotes, parentheses and comments), but a source runs one SELECT; nothing was "
                + "sent: remove the ';' and what follows it from source.sql.query. Query: SELECT 1 AS one) "
                + "tributary_source; INSERT INTO marker VALUES ('written'); SELECT * FROM (SELECT 1 AS one",
                e.getMessage());
    }

    @Test
    void whatAReadOnlyTransactionStillAllowsIsRolledBack() throws SQLException {
        String before = fingerprint();

        // PostgreSQL 14 lets a read-only transaction create a large object, and set a setting for later ones.
        List<String> created = fetch(settings, "SELECT lo_create(0) > 0 AS created, "
                + "set_config('default_transaction_read_only', 'off', false) AS later");

        assertEquals(List.of("{\"created\":true,\"later\":\"off\"}"), created);
        assertEquals(before, fingerprint());
    }

    @Test
    void aUrlCannotTurnReadingOnlyOff() throws SQLException {
        String before = fingerprint();
        Map<String, String> writable = new HashMap<>(settings);
        writable.put("DB_URL", postgres.jdbcUrl() + (postgres.jdbcUrl().contains("?") ? "&" : "?")
                + "readOnlyMode=ignore&options=-c%20default_transaction_read_only%3Doff");

        SourceException e = assertThrows(SourceException.class, () -> fetch(writable, "SELECT writes() AS w"));

        assertEquals(SourceException.Kind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains(" is not read-only (its driver options turn it off: readOnlyMode=ignore, "
                + "or options that set default_transaction_read_only); a source only reads: remove them from "
                + "source.sql.url"), e.getMessage());
        assertEquals(before, fingerprint());

        Map<String, String> simple = new HashMap<>(settings);
        simple.put("DB_URL", postgres.jdbcUrl() + (postgres.jdbcUrl().contains("?") ? "&" : "?")
                + "preferQueryMode=simple");
        SourceException s = assertThrows(SourceException.class, () -> fetch(simple, "SELECT 1 AS one"));
        assertEquals(SourceException.Kind.CONFIGURATION, s.kind());
        assertTrue(s.getMessage().contains("sets preferQueryMode=simple, which lets one request carry several "
                + "statements"), s.getMessage());
    }

    @Test
    void ordinaryReadsStillWork() throws SQLException {
        String before = fingerprint();

        assertEquals(List.of("{\"one\":1,\"note\":\"a;b $$ ]\"}"), fetch(settings, "-- a comment\nSELECT 1 AS one, "
                + "'a;b $$ ]' AS note; -- and a trailing one"));
        assertEquals(List.of("{\"x\":\"{]}\",\"q\":\" ' \"}"), fetch(settings,
                "SELECT ARRAY[']']::text AS x, $x$ ' $x$ AS q /* ) ; */"));
        assertEquals(List.of("{\"n\":3}", "{\"n\":2}"), fetch(settings, "WITH RECURSIVE c(n) AS (SELECT 3 UNION ALL "
                + "SELECT n - 1 FROM c WHERE n > 2) SELECT n FROM c ORDER BY n DESC"));

        // The demo's order-ledger, loaded incrementally by updated_at after a mark.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FetchResult result = new SqlFetcher(source("SELECT order_id, customer_id, region, amount, created_at, "
                + "updated_at FROM orders WHERE paid"), Optional.of(new Incremental("updated_at", Optional.empty())))
                .fetch(new FetchContext(Map.of(), n -> Optional.ofNullable(settings.get(n)),
                        Optional.of("2026-11-01T00:17:30Z")), out);
        assertEquals(List.of("{\"order_id\":18,\"customer_id\":\"c-0542\",\"region\":\"eu\",\"amount\":6.66,"
                + "\"created_at\":\"2026-11-01T00:18:00\",\"updated_at\":\"2026-11-01T00:18:30Z\"}",
                "{\"order_id\":19,\"customer_id\":\"c-0461\",\"region\":\"us\",\"amount\":7.03,"
                + "\"created_at\":\"2026-11-01T00:19:00\",\"updated_at\":\"2026-11-01T00:19:30Z\"}"),
                List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
        assertEquals(Optional.of("2026-11-01T00:19:30Z"), result.highWatermark());
        assertEquals(before, fingerprint());
    }

    private static SqlSource source(String query) {
        return new SqlSource("%DB_URL%", Optional.of("%DB_USER%"), Optional.of("%DB_PASSWORD%"), "password", query,
                100, 60);
    }

    private static List<String> fetch(Map<String, String> settings, String query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SqlFetcher(source(query), Optional.empty()).fetch(new FetchContext(Map.of(),
                n -> Optional.ofNullable(settings.get(n)), Optional.empty()), out);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** What a write could change: the schema's objects, the rows, the sequence, large objects, the login's settings. */
    private static String fingerprint() throws SQLException {
        List<String> parts = new ArrayList<>();
        parts.add(one("SELECT string_agg(c.relname || ':' || c.relkind, ',' ORDER BY c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', "
                + "'information_schema', 'pg_toast')"));
        parts.add(one("SELECT string_agg(note, ',' ORDER BY note) FROM marker"));
        parts.add(one("SELECT count(*) || '/' || sum(amount) || '/' || count(*) FILTER (WHERE paid) FROM orders"));
        parts.add(one("SELECT last_value || '/' || is_called FROM ids"));
        parts.add(one("SELECT count(*) FROM pg_largeobject_metadata"));
        parts.add(one("SELECT coalesce(string_agg(array_to_string(setconfig, ';'), ','), '') FROM pg_db_role_setting"));
        parts.add(one("SELECT current_setting('default_transaction_read_only')"));
        return String.join(" | ", parts);
    }

    private static String one(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
