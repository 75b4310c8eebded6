package io.tributary.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Databricks' error answers, of every shape it writes: JSON with a code, JSON with a number, an HTML page, text. */
class DatabricksErrorTest {

    @Test
    void errorBodiesOfEveryShapeAreRead() {
        assertEquals(" (INVALID_PARAMETER_VALUE: Run 7 does not exist.)", DatabricksError.parse(
                "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Run 7 does not exist.\"}").describe());
        assertEquals(" (Invalid access token.)", DatabricksError.parse(
                "{\"error_code\": 403, \"message\": \"Invalid access token.\"}").describe(),
                "a number for a code is the HTTP status, not a code");
        assertEquals(" (HTTP ERROR 403 Invalid access token.)", DatabricksError.parse("<html><head><title>Error 403"
                + "</title></head><body><h2>HTTP ERROR 403</h2><pre>HTTP ERROR 403 Invalid access token.</pre></body>"
                + "</html>").describe(), "an HTML page says what its <pre> says");
        assertEquals(" (upstream connect error)", DatabricksError.parse("upstream connect error\nor disconnect")
                .describe());
        assertEquals("", DatabricksError.parse("").describe());
        assertEquals(" (TEMPORARILY_UNAVAILABLE)", DatabricksError.parse("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\"}")
                .describe());
    }
}
