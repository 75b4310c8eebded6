package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a run's mask hides, in which forms, and what it leaves readable. */
class SecretMaskTest {

    private static SecretMask mask(String definition, Map<String, String> settings) {
        return SecretMask.of(definition, name -> Optional.ofNullable(settings.get(name)));
    }

    @Test
    void everySettingTheDefinitionRefersToIsMaskedAsIsUrlEncodedFormEncodedAndJsonEscaped() {
        SecretMask mask = mask("{\"url\": \"%API_URL%/x?k=%API_KEY%\", \"headers\": {\"A\": \"%TOKEN%\"}}",
                Map.of("API_KEY", "k3y &\"/x", "TOKEN", "t0ken", "UNUSED", "not-referenced"));

        for (String form : new String[] {"k3y &\"/x", "k3y+%26%22%2Fx", "k3y%20%26%22%2Fx", "k3y%20%26%22%2fx",
                "k3y &\\\"/x"}) {
            assertEquals("key=*** end", mask.mask("key=" + form + " end"), form);
        }
        assertEquals("Bearer ***", mask.mask("Bearer t0ken"));
        assertEquals("not-referenced", mask.mask("not-referenced"), "only the definition's settings are secrets");
    }

    @Test
    void aUrlSettingKeepsWhereItPointsAndMasksItsCredentials() {
        String basic = Base64.getEncoder().encodeToString("bob:s3cr%t".getBytes());
        SecretMask mask = mask("%API_URL% %DB_URL%", Map.of("API_URL", "https://bob:s3cr%25t@api.example.com/v1",
                "DB_URL", "jdbc:sqlserver://db.example.com:1433;databaseName=orders;password=Pa55word"));

        assertEquals("GET https://***@api.example.com/v1/items", mask.mask("GET https://bob:s3cr%25t@api.example.com"
                + "/v1/items"));
        assertEquals("password '***', Basic ***", mask.mask("password 's3cr%t', Basic " + basic));
        assertEquals("jdbc:sqlserver://db.example.com:1433;databaseName=orders;password=***",
                mask.mask("jdbc:sqlserver://db.example.com:1433;databaseName=orders;password=Pa55word"));
    }

    @Test
    void credentialsInAnyUrlAreMaskedInFreeTextWithoutAnySetting() {
        assertEquals("see http://***@host:8080/a and postgresql://***@db/x, not mail@example.com",
                SecretMask.URLS.mask("see http://u:p@host:8080/a and postgresql://admin:pw@db/x, not "
                        + "mail@example.com"));
    }

    @Test
    void valuesShorterThanFourCharactersAreNotMasked() {
        SecretMask mask = mask("%PAGES% %FLAG% %CODE%", Map.of("PAGES", "100", "FLAG", "on", "CODE", "1234"));

        assertEquals("page 100 of 2, on: ***", mask.mask("page 100 of 2, on: 1234"));
        assertFalse(mask.reveals("page 100"));
        assertTrue(mask.reveals("code 1234"));
    }
}
