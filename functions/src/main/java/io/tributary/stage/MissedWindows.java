package io.tributary.stage;

import io.tributary.definition.ScheduleTrigger;
import io.tributary.definition.ZonedSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides which occurrences a tick starts, from those since the pipeline's mark: an occurrence within the current
 * tick ({@code grace} before now) is due; older ones were missed, and the pipeline's policy says what happens to
 * them.
 */
final class MissedWindows {

    private MissedWindows() {
    }

    /**
     * What a tick does for one pipeline.
     *
     * @param start  the occurrences to start, oldest first
     * @param newest the newest occurrence dealt with (started or skipped), where the mark moves to
     * @param note   what was skipped, if anything
     */
    record Plan(List<Instant> start, Optional<Instant> newest, Optional<String> note) {
    }

    static Plan plan(ScheduleTrigger trigger, ZonedSchedule schedule, Instant since, Instant now, Duration grace) {
        int wanted = trigger.missed() == ScheduleTrigger.Missed.CATCH_UP ? trigger.maxCatchUp() : 1;
        List<Instant> occurrences = schedule.newestIn(since, now, wanted + 1);
        if (occurrences.isEmpty()) {
            return new Plan(List.of(), Optional.empty(), Optional.empty());
        }
        Instant newest = occurrences.get(occurrences.size() - 1);
        boolean newestIsDue = newest.isAfter(now.minus(grace));
        boolean olderSkipped = occurrences.size() > wanted;
        List<Instant> start = switch (trigger.missed()) {
            case CATCH_UP, LATEST -> occurrences.subList(olderSkipped ? 1 : 0, occurrences.size());
            case SKIP -> newestIsDue ? List.of(newest) : List.of();
        };
        int skippedHere = occurrences.size() - start.size();
        Optional<String> note = Optional.empty();
        if (skippedHere > 0) {
            String what = switch (trigger.missed()) {
                case CATCH_UP -> "beyond maxCatchUp " + trigger.maxCatchUp() + "; started the newest "
                        + start.size() + " windows";
                case LATEST -> "\"missed\": \"latest\" starts only the newest, " + newest;
                case SKIP -> "\"missed\": \"skip\"";
            };
            note = Optional.of("skipped missed occurrences since " + since + " up to " + occurrences.get(skippedHere - 1)
                    + " (" + what + ")");
        }
        return new Plan(List.copyOf(start), Optional.of(newest), note);
    }
}
