package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlQueryTextTest {

    @Test
    void namedParametersBecomeMarkersOutsideQuotesCommentsAndCasts() {
        SqlQueryText text = SqlQueryText.parse("SELECT a::text, ':no' AS \"x:no\", $$ :no $$, E'it\\'s :no', [col:no] "
                + "-- :no\n/* :no /* nested :no */ :no */ FROM t WHERE b = :b AND c < :windowEnd OR b = :b;  ");

        assertEquals("SELECT a::text, ':no' AS \"x:no\", $$ :no $$, E'it\\'s :no', [col:no] -- :no\n"
                + "/* :no /* nested :no */ :no */ FROM t WHERE b = ? AND c < ? OR b = ?", text.jdbcText());
        assertEquals(List.of("b", "windowEnd", "b"), text.parameters());
        assertEquals(Optional.of("SELECT"), text.firstWord());
        assertFalse(text.multipleStatements());
        assertEquals(List.of(), text.writingWords());
        assertEquals(0, text.positionalMarkers());
    }

    @Test
    void findsWhatMakesAQueryMoreThanOneReadOnlyStatement() {
        assertTrue(SqlQueryText.parse("SELECT 1; DROP TABLE t").multipleStatements());
        assertFalse(SqlQueryText.parse("SELECT ';' -- ; x\n; /* trailing */").multipleStatements());
        assertEquals(List.of("INTO"), SqlQueryText.parse("SELECT * INTO copy FROM t").writingWords());
        assertEquals(List.of(), SqlQueryText.parse("SELECT \"update\", 'delete' FROM t").writingWords());
        assertEquals(Optional.of("WITH"), SqlQueryText.parse("/* c */ -- c\n  with x AS (SELECT 1) SELECT * FROM x")
                .firstWord());
        assertEquals(1, SqlQueryText.parse("SELECT * FROM t WHERE a = ? AND j ?? 'k'").positionalMarkers());
    }
}
