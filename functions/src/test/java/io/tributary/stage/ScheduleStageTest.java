package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.Ncrontab;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleStageTest {

    @Test
    void findsTheLatestOccurrenceInAWindow() {
        Ncrontab every15 = Ncrontab.parse("0 */15 * * * *");
        assertEquals(Optional.of(Instant.parse("2026-11-22T06:45:00Z")), ScheduleStage.latestOccurrence(every15,
                Instant.parse("2026-11-22T06:10:00Z"), Instant.parse("2026-11-22T06:50:00Z")));
        assertEquals(Optional.empty(), ScheduleStage.latestOccurrence(every15,
                Instant.parse("2026-11-22T06:46:00Z"), Instant.parse("2026-11-22T06:59:59Z")));
    }

    @Test
    void theWindowIsOpenAtTheStartAndClosedAtTheEnd() {
        Ncrontab hourly = Ncrontab.parse("0 0 * * * *");
        Instant seven = Instant.parse("2026-11-22T07:00:00Z");
        assertEquals(Optional.of(seven), ScheduleStage.latestOccurrence(hourly, seven.minusSeconds(60), seven));
        assertEquals(Optional.empty(), ScheduleStage.latestOccurrence(hourly, seven, seven.plusSeconds(60)));
    }

    @Test
    void ncrontabHasSixFieldsWithSecondsFirst() {
        Ncrontab weekdays = Ncrontab.parse("30 0 9 * * 1-5");
        assertEquals("2026-11-23T09:00:30Z", weekdays.next(Instant.parse("2026-11-21T10:00:00Z")
                .atZone(java.time.ZoneOffset.UTC)).orElseThrow().toInstant().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ncrontab.parse("0 9 * * *"));
        assertTrue(e.getMessage().contains("has 5 fields"), e.getMessage());
    }
}
