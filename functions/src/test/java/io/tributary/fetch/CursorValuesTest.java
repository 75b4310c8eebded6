package io.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CursorValuesTest {

    @Test
    void numbersCompareAsNumbers() {
        assertTrue(CursorValues.compare("9", "10") < 0);
        assertEquals(0, CursorValues.compare("10", "10.0"));
        assertEquals("100", CursorValues.max("99", "100"));
    }

    @Test
    void timestampsWithOffsetsCompareAsInstants() {
        assertEquals(0, CursorValues.compare("2026-03-01T12:00:00+02:00", "2026-03-01T10:00:00Z"));
        assertTrue(CursorValues.compare("2026-03-01T11:59:59+02:00", "2026-03-01T10:00:00.5Z") < 0);
        assertEquals("2026-03-01T10:00:01Z", CursorValues.max("2026-03-01T11:00:00+01:00", "2026-03-01T10:00:01Z"));
    }

    @Test
    void anythingElseComparesAsText() {
        assertTrue(CursorValues.compare("b", "a") > 0);
        assertTrue(CursorValues.compare("2026-03-01 10:00", "2026-03-01 9:00") < 0);
        assertTrue(CursorValues.compare("10", "abc") < 0);
        assertEquals("x", CursorValues.max(null, "x"));
    }
}
