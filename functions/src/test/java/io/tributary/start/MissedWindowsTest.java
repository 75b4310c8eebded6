package io.tributary.start;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.trigger.Ncrontab;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.definition.trigger.ZonedSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The missed-window policies, tick by tick, on an hourly schedule. */
class MissedWindowsTest {

    private static final ZonedSchedule HOURLY = new ZonedSchedule(Ncrontab.parse("0 0 * * * *"), ZoneOffset.UTC);
    private static final Duration GRACE = Duration.ofMinutes(2);

    private static Instant at(String time) {
        return Instant.parse("2026-11-22T" + time + "Z");
    }

    private static List<Instant> at(String... times) {
        return java.util.Arrays.stream(times).map(MissedWindowsTest::at).toList();
    }

    private static MissedWindows.Plan plan(ScheduleTrigger.Missed missed, int maxCatchUp, String since, String now) {
        return MissedWindows.plan(new ScheduleTrigger("0 0 * * * *", ZoneOffset.UTC, missed, maxCatchUp), HOURLY,
                at(since), at(now), GRACE);
    }

    @Test
    void catchUpStartsTheOldestMissedWindowsAndStopsTheMarkAtTheLastStarted() {
        MissedWindows.Plan plan = plan(ScheduleTrigger.Missed.CATCH_UP, 3, "01:00:00", "07:10:00");
        assertEquals(at("02:00:00", "03:00:00", "04:00:00"), plan.start());
        assertEquals(Optional.of(at("04:00:00")), plan.advanceTo());
        assertEquals(Optional.of("catching up: started the oldest 3 missed windows since 2026-11-22T01:00:00Z "
                + "(maxCatchUp 3); the next tick goes on from 2026-11-22T05:00:00Z"), plan.note());
    }

    @Test
    void consecutiveCatchUpTicksStartEveryMissedWindowOnceInOrder() {
        Instant mark = at("01:00:00");
        List<List<Instant>> ticks = new ArrayList<>();
        for (String now : List.of("07:10:00", "07:11:00", "07:12:00", "07:13:00")) {
            MissedWindows.Plan plan = MissedWindows.plan(new ScheduleTrigger("0 0 * * * *", ZoneOffset.UTC,
                    ScheduleTrigger.Missed.CATCH_UP, 3), HOURLY, mark, at(now), GRACE);
            ticks.add(plan.start());
            mark = plan.advanceTo().orElse(mark);
        }
        assertEquals(List.of(at("02:00:00", "03:00:00", "04:00:00"), at("05:00:00", "06:00:00", "07:00:00"),
                List.of(), List.of()), ticks);
        assertEquals(at("07:00:00"), mark);
    }

    @Test
    void catchUpWithinTheLimitStartsThemAllWithoutANote() {
        MissedWindows.Plan plan = plan(ScheduleTrigger.Missed.CATCH_UP, 3, "01:00:00", "04:00:30");
        assertEquals(at("02:00:00", "03:00:00", "04:00:00"), plan.start());
        assertEquals(Optional.of(at("04:00:00")), plan.advanceTo());
        assertEquals(Optional.empty(), plan.note());
    }

    @Test
    void nothingSinceTheMarkStartsNothingAndLeavesTheMark() {
        MissedWindows.Plan plan = plan(ScheduleTrigger.Missed.CATCH_UP, 3, "04:00:00", "04:59:59");
        assertEquals(List.of(), plan.start());
        assertEquals(Optional.empty(), plan.advanceTo());
    }

    @Test
    void latestStartsTheNewestAndMovesTheMarkPastTheRest() {
        MissedWindows.Plan plan = plan(ScheduleTrigger.Missed.LATEST, 24, "01:00:00", "07:10:00");
        assertEquals(List.of(at("07:00:00")), plan.start());
        assertEquals(Optional.of(at("07:00:00")), plan.advanceTo());
        assertEquals(Optional.of("skipped missed occurrences since 2026-11-22T01:00:00Z up to 2026-11-22T06:00:00Z "
                + "(\"missed\": \"latest\" starts only the newest, 2026-11-22T07:00:00Z)"), plan.note());
    }

    @Test
    void skipStartsOnlyAnOccurrenceDueWithinTheTick() {
        MissedWindows.Plan late = plan(ScheduleTrigger.Missed.SKIP, 24, "01:00:00", "07:10:00");
        assertEquals(List.of(), late.start());
        assertEquals(Optional.of(at("07:00:00")), late.advanceTo());
        assertEquals(Optional.of("skipped missed occurrences since 2026-11-22T01:00:00Z up to 2026-11-22T07:00:00Z "
                + "(\"missed\": \"skip\")"), late.note());
        MissedWindows.Plan onTime = plan(ScheduleTrigger.Missed.SKIP, 24, "07:00:00", "08:00:30");
        assertEquals(List.of(at("08:00:00")), onTime.start());
        assertEquals(Optional.empty(), onTime.note());
    }
}
