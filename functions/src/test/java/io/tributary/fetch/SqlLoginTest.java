package io.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.source.SqlSource;
import io.tributary.definition.sql.SqlDialect;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SqlLoginTest {

    @Test
    void aUrlLosesItsUserInformationAndSecretProperties() {
        assertEquals("jdbc:postgresql://db:5432/orders?user=reader&password=***&ssl=true",
                SqlLogin.redactUrl("jdbc:postgresql://db:5432/orders?user=reader&password=s3cr3t&ssl=true"));
        assertEquals("jdbc:sqlserver://srv:1433;databaseName=orders;Password=***;encrypt=true",
                SqlLogin.redactUrl("jdbc:sqlserver://srv:1433;databaseName=orders;Password=s3cr3t;encrypt=true"));
        assertEquals("jdbc:postgresql://db/orders", SqlLogin.redactUrl("jdbc:postgresql://reader:s3cr3t@db/orders"));
        assertEquals("jdbc:sqlserver://srv;clientSecret=***;accessToken=***",
                SqlLogin.redactUrl("jdbc:sqlserver://srv;clientSecret=abc;accessToken=xyz"));
    }

    @Test
    void aPostgresSessionIsReadOnlyFromItsStartAndSpeaksTheExtendedProtocol() {
        SqlLogin login = login("jdbc:postgresql://db:5432/orders");

        assertEquals(SqlDialect.POSTGRES, login.dialect());
        assertEquals(Map.of("user", "reader", "password", "s3cr3t", "ApplicationName", "tributary",
                "options", "-c default_transaction_read_only=on", "preferQueryMode", "extended"),
                new TreeMap<>(login.properties()));
    }

    @Test
    void aSqlServerSessionHasNoReadOnlySwitchSoItsQueryIsSentAsWritten() {
        SqlLogin login = login("jdbc:sqlserver://srv:1433;databaseName=orders");

        assertEquals(SqlDialect.SQL_SERVER, login.dialect());
        assertEquals(Map.of("user", "reader", "password", "s3cr3t", "applicationName", "tributary"),
                new TreeMap<>(login.properties()));
        // SQL Server allows no WITH or ORDER BY in a derived table; PostgreSQL's query runs as one.
        assertEquals("WITH a AS (SELECT 1 AS one) SELECT one FROM a ORDER BY one", ReadOnlySession.queryExpression(
                "WITH a AS (SELECT 1 AS one) SELECT one FROM a ORDER BY one", SqlDialect.SQL_SERVER));
        assertEquals("SELECT * FROM (\nSELECT 1 AS one -- note\n) tributary_source", ReadOnlySession.queryExpression(
                "SELECT 1 AS one -- note", SqlDialect.POSTGRES));
    }

    private static SqlLogin login(String url) {
        return SqlLogin.resolve(new SqlSource(url, Optional.of("reader"), Optional.of("%PW%"), "password",
                "SELECT 1 AS one", 100, 60), name -> Optional.of("s3cr3t"));
    }
}
