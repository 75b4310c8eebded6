package io.tributary.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
