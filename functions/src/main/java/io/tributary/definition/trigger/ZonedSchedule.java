package io.tributary.definition.trigger;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A resolved schedule: an NCRONTAB expression read on the wall clock of a time zone. Occurrences are instants;
 * the window of an occurrence runs from the occurrence before it.
 */
public record ZonedSchedule(Ncrontab cron, ZoneId zone) {

    /** The first occurrence strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return cron.next(after, zone);
    }

    /** The last occurrence strictly before {@code before}. */
    public Optional<Instant> previous(Instant before) {
        return cron.previous(before, zone);
    }

    /** The newest occurrence at or before {@code time}. */
    public Optional<Instant> latestUpTo(Instant time) {
        return cron.previous(time.plusNanos(1), zone);
    }

    /**
     * The newest occurrences in {@code (after, upTo]}, at most {@code limit} of them, oldest first. Walks back from
     * {@code upTo}, so a long stretch of missed occurrences costs no more than the ones returned.
     */
    public List<Instant> newestIn(Instant after, Instant upTo, int limit) {
        List<Instant> newestFirst = new ArrayList<>();
        Optional<Instant> occurrence = latestUpTo(upTo);
        while (occurrence.isPresent() && occurrence.get().isAfter(after) && newestFirst.size() < limit) {
            newestFirst.add(occurrence.get());
            occurrence = previous(occurrence.get());
        }
        List<Instant> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * The oldest occurrences in {@code (after, upTo]}, at most {@code limit} of them, oldest first. Walks forward
     * from {@code after}, so a long stretch of occurrences costs no more than the ones returned.
     */
    public List<Instant> oldestIn(Instant after, Instant upTo, int limit) {
        List<Instant> occurrences = new ArrayList<>();
        Optional<Instant> occurrence = next(after);
        while (occurrence.isPresent() && !occurrence.get().isAfter(upTo) && occurrences.size() < limit) {
            occurrences.add(occurrence.get());
            occurrence = next(occurrence.get());
        }
        return occurrences;
    }

    /**
     * Every occurrence in {@code (after, upTo]}, oldest first.
     *
     * @throws IllegalArgumentException when there are more than {@code max}, saying how many at least
     */
    public List<Instant> allIn(Instant after, Instant upTo, int max) {
        List<Instant> occurrences = new ArrayList<>();
        Optional<Instant> occurrence = next(after);
        while (occurrence.isPresent() && !occurrence.get().isAfter(upTo)) {
            if (occurrences.size() == max) {
                throw new IllegalArgumentException("more than " + max + " occurrences of " + this + " between "
                        + after + " and " + upTo);
            }
            occurrences.add(occurrence.get());
            occurrence = next(occurrence.get());
        }
        return occurrences;
    }

    @Override
    public String toString() {
        return "\"" + cron + "\" in " + zone;
    }
}
