package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine's check of expressions and queries, fed from one fixed seed with SQL pieces, NUL and other control
 * characters, broken surrogates, deep nesting and long texts: it answers "allowed" or a reason, and never throws.
 */
class SqlCheckFuzzTest {

    private static final String[] PIECES = {"amount", " + ", " * ", "(", ")", "'", "\"", "1", "2.5", " AND ", " OR ",
            "NOT ", "CASE WHEN ", " THEN ", " END", ",", ";", "--", "/*", "*/", "$$", "\u0000", "\u0001", "\u001b",
            "\u007f", "\ud800", "\udc00", "😀", "é", "\t", "\n", "SELECT ", " FROM input", " FROM read_csv('x')",
            "(SELECT 1)", "getenv('HOME')", "lower(", "::INT", "NULL", " IS NULL", "[", "]", "{", "}", "?", ":name"};

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static Optional<String> checked(String what, java.util.function.Supplier<Optional<String>> check) {
        try {
            Optional<String> why = check.get();
            why.ifPresent(reason -> assertTrue(!reason.isBlank() && reason.length() < 2_000, what + ": " + reason));
            return why;
        } catch (Throwable e) {
            throw new AssertionError(what + ": the check threw " + e, e);
        }
    }

    @Test
    void randomSqlTextsGetAnAnswerNeverAnException() {
        Random random = new Random(20261207L);
        for (int i = 0; i < 150; i++) {
            String expression = text(random);
            checked("expression #" + i + " " + expression, () -> SqlRestrictions.expression(expression));
            String query = "SELECT " + text(random) + " FROM input";
            checked("query #" + i + " " + query, () -> SqlRestrictions.query(query));
        }
    }

    @Test
    void aNulIsNamedWhereItIsNotCutOffByTheDriver() {
        assertEquals(Optional.of("holds the control character U+0000 at character 7; remove it (SQL may hold tabs and "
                + "line breaks, no other control characters)"), SqlRestrictions.expression("amount\u0000 > 0"));
        assertEquals(Optional.of("holds the control character U+0000 at character 20; remove it (SQL may hold tabs "
                + "and line breaks, no other control characters)"), SqlRestrictions.query("SELECT * FROM input\u0000; "
                + "SELECT * FROM secrets"));
        assertEquals(Optional.of("holds an unpaired surrogate U+D800 at character 2; remove it (SQL may hold tabs and "
                + "line breaks, no other control characters)"), SqlRestrictions.expression("'\ud800'"));
    }

    @Test
    void deepAndLongTextsAreRefusedWithAReason() {
        assertTrue(checked("deep", () -> SqlRestrictions.expression("(".repeat(20_000) + "1" + ")".repeat(20_000)))
                .orElseThrow().startsWith("does not parse: Max expression depth limit of 1000 exceeded"));
        assertEquals(Optional.of("is 10000002 characters long, over the 65536 a definition's SQL may be; shorten it"),
                checked("long", () -> SqlRestrictions.expression("'" + "a".repeat(10_000_000) + "'")));
    }
}
