package io.tributary.definition.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.settings.SettingReference;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NCRONTAB read on a zone's wall clock, across daylight saving time (Europe/Berlin: 29 March and 25 October 2026). */
class NcrontabZoneTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<String> next(String cron, String after, int count) {
        Ncrontab expression = Ncrontab.parse(cron);
        List<String> times = new ArrayList<>();
        Instant cursor = Instant.parse(after);
        for (int i = 0; i < count; i++) {
            cursor = expression.next(cursor, BERLIN).orElseThrow();
            times.add(cursor.toString());
        }
        return times;
    }

    @Test
    void wallClockTimesFollowTheZonesOffset() {
        assertEquals(List.of("2026-01-15T05:00:00Z", "2026-01-16T05:00:00Z"),
                next("0 0 6 * * *", "2026-01-14T12:00:00Z", 2), "06:00 CET is 05:00 UTC");
        assertEquals(List.of("2026-07-15T04:00:00Z"), next("0 0 6 * * *", "2026-07-14T12:00:00Z", 1),
                "06:00 CEST is 04:00 UTC");
    }

    @Test
    void aTimeInTheSkippedHourFiresOnceShiftedByTheGap() {
        assertEquals(List.of("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"),
                next("0 30 2 * * *", "2026-03-27T12:00:00Z", 3),
                "02:30 CET; then 02:30 does not exist and fires at 03:30 CEST; then 02:30 CEST");
        assertEquals(List.of("2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"),
                next("0 30 * * * *", "2026-03-29T00:00:00Z", 3),
                "hourly: 01:30 CET, then 02:30 shifted to 03:30 CEST fires once with 03:30 itself, then 04:30 CEST");
    }

    @Test
    void aTimeInTheRepeatedHourFiresOnceTheFirstTime() {
        assertEquals(List.of("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
                next("0 30 2 * * *", "2026-10-24T12:00:00Z", 2),
                "02:30 CEST fires; the second 02:30, CET, does not; then 02:30 CET the next day");
        assertEquals(List.of("2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z"),
                next("0 30 * * * *", "2026-10-24T23:00:00Z", 3),
                "hourly: 01:30 CEST, 02:30 CEST, (not 02:30 CET), 03:30 CET");
    }

    @Test
    void previousIsTheOccurrenceNextWouldHaveReturned() {
        Ncrontab hourly = Ncrontab.parse("0 30 * * * *");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"),
                hourly.previous(Instant.parse("2026-10-25T02:30:00Z"), BERLIN).orElseThrow(), "across the repeated hour");
        assertEquals(Instant.parse("2026-03-29T00:30:00Z"),
                hourly.previous(Instant.parse("2026-03-29T01:30:00Z"), BERLIN).orElseThrow(), "across the skipped hour");
        Ncrontab leapDay = Ncrontab.parse("0 0 0 29 2 *");
        assertEquals(Instant.parse("2024-02-28T23:00:00Z"),
                leapDay.previous(Instant.parse("2026-11-22T00:00:00Z"), BERLIN).orElseThrow(), "years back");
        Ncrontab weekdays = Ncrontab.parse("0 0 6 * * 1-5");
        assertEquals(Instant.parse("2026-11-20T05:00:00Z"),
                weekdays.previous(Instant.parse("2026-11-23T05:00:00Z"), BERLIN).orElseThrow(), "Monday's is Friday's");
    }

    @Test
    void utcIsTheDefaultZone() {
        ScheduleTrigger trigger = ScheduleTrigger.utc("0 0 6 * * *");
        assertEquals(Instant.parse("2026-07-15T06:00:00Z"), trigger.resolve(name -> java.util.Optional.empty())
                .next(Instant.parse("2026-07-14T12:00:00Z")).orElseThrow());
    }

    @Test
    void aSettingReferenceIsReadWhenResolved() {
        ScheduleTrigger trigger = new ScheduleTrigger("%ORDERS_SCHEDULE%", BERLIN, ScheduleTrigger.Missed.LATEST, 24);
        assertEquals(java.util.Optional.of("ORDERS_SCHEDULE"), trigger.setting());
        ZonedSchedule schedule = trigger.resolve(name -> name.equals("ORDERS_SCHEDULE")
                ? java.util.Optional.of("0 0 6 * * *") : java.util.Optional.empty());
        assertEquals("\"0 0 6 * * *\" in Europe/Berlin", schedule.toString());
        IllegalStateException unset = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> trigger.resolve(name -> java.util.Optional.empty()));
        assertEquals("the schedule names the app setting ORDERS_SCHEDULE, which is not set; set it to an NCRONTAB "
                + "expression such as \"0 0 6 * * *\" in local.settings.json (Values) when running locally, or in the "
                + "function app's settings in Azure", unset.getMessage());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> trigger.resolve(name -> java.util.Optional.of("0 6 * * *")));
        assertEquals("the app setting ORDERS_SCHEDULE that the schedule names: '0 6 * * *' has 5 fields; NCRONTAB needs "
                + "six, seconds first: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 */5 * * * *\"",
                bad.getMessage());
    }
}
