package io.tributary.definition.sql;

import static io.tributary.definition.sql.SqlDialect.POSTGRES;
import static io.tributary.definition.sql.SqlDialect.SQL_SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlQueryTextTest {

    @Test
    void namedParametersBecomeMarkersOutsideQuotesCommentsAndCasts() {
        SqlQueryText text = SqlQueryText.parse("SELECT a::text, ':no' AS \"x:no\", $$ :no $$, E'it\\'s :no', "
                + "-- :no\n/* :no /* nested :no */ :no */ FROM t WHERE b = :b AND c < :windowEnd OR b = :b;  ",
                POSTGRES);

        assertEquals("SELECT a::text, ':no' AS \"x:no\", $$ :no $$, E'it\\'s :no', -- :no\n"
                + "/* :no /* nested :no */ :no */ FROM t WHERE b = ? AND c < ? OR b = ?", text.jdbcText());
        assertEquals(List.of("b", "windowEnd", "b"), text.parameters());
        assertEquals(Optional.of("SELECT"), text.firstWord());
        assertFalse(text.multipleStatements());
        assertEquals(List.of(), text.writingWords());
        assertEquals(0, text.positionalMarkers());

        SqlQueryText server = SqlQueryText.parse("SELECT [col:no], N'x:no' FROM t WHERE b = :b", SQL_SERVER);
        assertEquals("SELECT [col:no], N'x:no' FROM t WHERE b = ?", server.jdbcText());
        assertEquals(List.of("b"), server.parameters());
    }

    @Test
    void findsWhatMakesAQueryMoreThanOneReadOnlyStatement() {
        assertTrue(SqlQueryText.parse("SELECT 1; DROP TABLE t", POSTGRES).multipleStatements());
        assertFalse(SqlQueryText.parse("SELECT ';' -- ; x\n; /* trailing */", POSTGRES).multipleStatements());
        assertEquals(List.of("INTO"), SqlQueryText.parse("SELECT * INTO copy FROM t", POSTGRES).writingWords());
        assertEquals(List.of(), SqlQueryText.parse("SELECT \"update\", 'delete' FROM t", POSTGRES).writingWords());
        // A word where only a name can stand (after FROM, JOIN, AS or a '.') is a name: a table called backup.
        assertEquals(List.of(), SqlQueryText.parse("SELECT b.set AS copy FROM backup JOIN kill ON true", POSTGRES)
                .writingWords());
        assertEquals(Optional.of("WITH"), SqlQueryText.parse("/* c */ -- c\n  with x AS (SELECT 1) SELECT * FROM x",
                POSTGRES).firstWord());
        assertEquals(1, SqlQueryText.parse("SELECT * FROM t WHERE a = ? AND j ?? 'k'", POSTGRES).positionalMarkers());
    }

    @Test
    void postgresReadsABracketAsASubscriptSoTheQuoteInsideItOpensAString() {
        String query = "SELECT ARRAY[']']::text AS x; COMMIT; CREATE TABLE t(i int); SELECT 'y' AS x --'";

        SqlQueryText postgres = SqlQueryText.parse(query, POSTGRES);

        assertTrue(postgres.multipleStatements());
        assertEquals(Optional.of("line 1, column 31"), postgres.secondStatementPosition());
        assertEquals(List.of("COMMIT", "CREATE"), postgres.writingWords());
        assertEquals(query, postgres.jdbcText()); // sent whole, never cut to its harmless first statement
        // SQL Server reads [']'] as a quoted name: the next quote opens a string that hides the ';'.
        assertFalse(SqlQueryText.parse(query, SQL_SERVER).multipleStatements());
        assertFalse(SqlQueryText.parse("SELECT [a;b] FROM t", SQL_SERVER).multipleStatements());
        assertTrue(SqlQueryText.parse("SELECT a[1] FROM t; DROP TABLE t --]", POSTGRES).multipleStatements());
    }

    @Test
    void dollarQuotesAndBackslashEscapesArePostgresOnly() {
        String dollar = "SELECT $x$ ; DROP TABLE t $x$ AS note";
        assertFalse(SqlQueryText.parse(dollar, POSTGRES).multipleStatements());
        assertEquals(Optional.of("line 1, column 14"),
                SqlQueryText.parse(dollar, SQL_SERVER).secondStatementPosition());

        String escaped = "SELECT E'\\'; DROP TABLE t; --' AS note";
        assertFalse(SqlQueryText.parse(escaped, POSTGRES).multipleStatements());
        assertTrue(SqlQueryText.parse(escaped, SQL_SERVER).multipleStatements());

        String nested = "SELECT 1 /* outer /* inner */ ; DROP TABLE t */ AS one";
        assertFalse(SqlQueryText.parse(nested, POSTGRES).multipleStatements());
        assertFalse(SqlQueryText.parse(nested, SQL_SERVER).multipleStatements());
    }

    @Test
    void sqlServerStatementsNeedNoSemicolonSoTheirFirstWordsAreRefused() {
        SqlQueryText stacked = SqlQueryText.parse("SELECT 1 AS one\nEXEC ('DROP TABLE t') COMMIT", SQL_SERVER);

        assertFalse(stacked.multipleStatements());
        assertEquals(List.of("EXEC", "COMMIT"), stacked.writingWords());
        assertEquals(Optional.of("line 2, column 1"), stacked.firstWritingWordPosition());
        assertEquals(List.of("DECLARE", "SET", "WAITFOR"), SqlQueryText.parse("SELECT 1 DECLARE @x int SET @x = 1 "
                + "WAITFOR DELAY '00:00:05'", SQL_SERVER).writingWords());
        assertEquals(List.of("OPENQUERY"), SqlQueryText.parse("SELECT * FROM OPENQUERY(other, 'DELETE FROM t')",
                SQL_SERVER).writingWords());
        assertEquals(List.of("SET", "DO", "COPY", "CALL", "ROLLBACK"), SqlQueryText.parse("SELECT 1 SET x DO y COPY "
                + "z CALL w ROLLBACK", POSTGRES).writingWords());
    }

    @Test
    void aTrailingSemicolonIsNotSentButOneBetweenStatementsIs() {
        assertEquals("SELECT 1; DROP TABLE t -- end", SqlQueryText.parse("SELECT 1; DROP TABLE t;; -- end", POSTGRES)
                .jdbcText());
        assertEquals("SELECT ';' AS s", SqlQueryText.parse("SELECT ';' AS s ; ;", SQL_SERVER).jdbcText());
    }
}
