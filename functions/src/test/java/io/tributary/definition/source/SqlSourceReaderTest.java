package io.tributary.definition.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlSourceReaderTest {

    private static final Path FIXTURES = Path.of(System.getProperty("tributary.root", "."),
            "functions/src/test/resources/definitions/valid");

    @Test
    void aSqlSourceReadsWithItsIncrementalCursor() throws Exception {
        Path file = FIXTURES.resolve("sql-orders.json");
        PipelineDefinition definition = DefinitionReader.read(file.toString(), Files.readString(file), "sql-orders")
                .definition().orElseThrow();

        assertEquals(Optional.of(new SqlSource("%ORDERS_DB_URL%", Optional.of("%ORDERS_DB_USER%"),
                Optional.of("%ORDERS_DB_PASSWORD%"), "password", "-- the open window's orders\nSELECT order_id, "
                + "customer_id, amount, updated_at::timestamptz AS updated_at FROM orders WHERE region = :region AND "
                + "note <> 'x:y' AND created_at < :windowEnd;", 5000, 300)), definition.fetched());
        assertEquals(Optional.of(new Incremental("updated_at", Optional.of("2026-01-01T00:00:00Z"))),
                definition.incremental());
        assertEquals("sql", definition.fetched().orElseThrow().kind());
    }

    @Test
    void defaultsApplyAndAFileFormatIsNotNeeded() {
        DefinitionResult result = DefinitionReader.read("x.json", "{\"schemaVersion\": 1, \"name\": \"x\", "
                + "\"source\": {\"sql\": {\"url\": \"jdbc:sqlserver://h:1433;databaseName=d\", \"authentication\": "
                + "\"managedIdentity\", \"query\": \"WITH a AS (SELECT 1 AS one) SELECT * FROM a\"}}}", "x");

        assertEquals(List.of(), result.problems());
        assertEquals(Optional.of(new SqlSource("jdbc:sqlserver://h:1433;databaseName=d", Optional.empty(),
                Optional.empty(), "managedIdentity", "WITH a AS (SELECT 1 AS one) SELECT * FROM a", 1000, 600)),
                result.definition().orElseThrow().fetched());
    }

    @Test
    void theQueryIsReadAsItsDatabaseReadsItAndAsBothWhenTheUrlIsASetting() {
        String dollarQuoted = "SELECT $x$ ; not a statement $x$ AS note FROM t";

        assertEquals(List.of(), problems("jdbc:postgresql://db:5432/orders", dollarQuoted));
        assertEquals(List.of("x.json:1:" + queryColumn("jdbc:sqlserver://h:1433;databaseName=d") + ": /source/sql/query: "
                + "the query holds more than one statement: another starts after a ';' at line 1, column 14 of the "
                + "query (as SQL Server reads it); a source runs one SELECT, so remove the ';' and what follows it"),
                problems("jdbc:sqlserver://h:1433;databaseName=d", dollarQuoted));
        // A URL in a setting could be either database: the query must be one SELECT as each reads it.
        assertEquals(1, problems("%DB_URL%", dollarQuoted).size());
        assertEquals(List.of(), problems("jdbc:sqlserver://h:1433;databaseName=d", "SELECT [a;b] FROM t"));
        assertEquals(List.of(), problems("%DB_URL%", "SELECT \"order\" FROM backup WHERE id > :after"));
    }

    private static List<String> problems(String url, String query) {
        return DefinitionReader.read("x.json", json(url, query), "x").problems().stream().map(Problem::format).toList();
    }

    private static String json(String url, String query) {
        return "{\"schemaVersion\": 1, \"name\": \"x\", \"source\": {\"sql\": {\"url\": \"" + url + "\", "
                + "\"user\": \"reader\", \"password\": \"%DB_PASSWORD%\", \"query\": \""
                + query.replace("\"", "\\\"") + "\"}}}";
    }

    /** The column where the query's value starts in {@link #json}. */
    private static int queryColumn(String url) {
        return json(url, "").indexOf("\"query\": ") + "\"query\": ".length() + 1;
    }
}
