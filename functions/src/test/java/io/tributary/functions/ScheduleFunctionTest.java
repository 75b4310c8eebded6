package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleFunctionTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:00:30Z");

    @Test
    void aTickLooksBackBeforeThePreviousTickSoAFailedTickLosesNothing() {
        String info = "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":{\"Last\":\"2026-11-22T05:59:00+00:00\","
                + "\"Next\":\"2026-11-22T06:01:00+00:00\"},\"IsPastDue\":false}";
        assertEquals(Instant.parse("2026-11-22T05:49:00Z"), ScheduleFunction.windowStart(info, NOW));
    }

    @Test
    void withoutAStatusItLooksBackOneTickAndTheLookback() {
        assertEquals(Instant.parse("2026-11-22T05:49:30Z"), ScheduleFunction.windowStart("{}", NOW));
        assertEquals(Instant.parse("2026-11-22T05:49:30Z"), ScheduleFunction.windowStart("not json", NOW));
    }

    @Test
    void neverLooksBackMoreThanADay() {
        String info = "{\"ScheduleStatus\":{\"Last\":\"2026-01-01T00:00:00+00:00\"}}";
        assertEquals(Instant.parse("2026-11-21T06:00:30Z"), ScheduleFunction.windowStart(info, NOW));
    }
}
