package io.tributary.start;

import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.definition.trigger.ZonedSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides which occurrences a tick starts, from those since the pipeline's mark: an occurrence within the current
 * tick ({@code grace} before now) is due; older ones were missed, and the pipeline's policy says what happens to
 * them. {@code catchUp} starts the oldest {@code maxCatchUp} of them and leaves the mark at the last one started, so
 * the next ticks go on with the backlog until it is caught up; none is skipped. {@code latest} and {@code skip} move
 * the mark past every missed occurrence.
 */
final class MissedWindows {

    private MissedWindows() {
    }

    /**
     * What a tick does for one pipeline.
     *
     * @param start     the occurrences to start, oldest first
     * @param advanceTo the newest occurrence dealt with (started or skipped), where the mark moves to
     * @param note      what was skipped, or what is left for the next ticks, if anything
     */
    record Plan(List<Instant> start, Optional<Instant> advanceTo, Optional<String> note) {
    }

    static Plan plan(ScheduleTrigger trigger, ZonedSchedule schedule, Instant since, Instant now, Duration grace) {
        if (trigger.missed() == ScheduleTrigger.Missed.CATCH_UP) {
            return catchUp(trigger.maxCatchUp(), schedule, since, now);
        }
        List<Instant> occurrences = schedule.newestIn(since, now, 2);
        if (occurrences.isEmpty()) {
            return new Plan(List.of(), Optional.empty(), Optional.empty());
        }
        Instant newest = occurrences.get(occurrences.size() - 1);
        boolean newestIsDue = newest.isAfter(now.minus(grace));
        List<Instant> start = switch (trigger.missed()) {
            case LATEST -> List.of(newest);
            case SKIP -> newestIsDue ? List.of(newest) : List.of();
            case CATCH_UP -> throw new IllegalStateException("handled above");
        };
        Optional<String> note = Optional.empty();
        if (occurrences.size() > start.size()) {
            String what = trigger.missed() == ScheduleTrigger.Missed.LATEST
                    ? "\"missed\": \"latest\" starts only the newest, " + newest : "\"missed\": \"skip\"";
            Instant newestSkipped = occurrences.get(occurrences.size() - start.size() - 1);
            note = Optional.of("skipped missed occurrences since " + since + " up to " + newestSkipped + " (" + what
                    + ")");
        }
        return new Plan(start, Optional.of(newest), note);
    }

    /** The oldest {@code max} occurrences since the mark; the mark stops at the last of them. */
    private static Plan catchUp(int max, ZonedSchedule schedule, Instant since, Instant now) {
        List<Instant> occurrences = schedule.oldestIn(since, now, max + 1);
        if (occurrences.isEmpty()) {
            return new Plan(List.of(), Optional.empty(), Optional.empty());
        }
        List<Instant> start = List.copyOf(occurrences.subList(0, Math.min(max, occurrences.size())));
        Instant last = start.get(start.size() - 1);
        Optional<String> note = occurrences.size() > max
                ? Optional.of("catching up: started the oldest " + max + " missed windows since " + since
                        + " (maxCatchUp " + max + "); the next tick goes on from " + occurrences.get(max))
                : Optional.empty();
        return new Plan(start, Optional.of(last), note);
    }
}
