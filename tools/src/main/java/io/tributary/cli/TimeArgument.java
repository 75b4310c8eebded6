package io.tributary.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A point in time given on the command line: an ISO-8601 instant ({@code 2026-11-22T06:00:00Z}), a date-time with an
 * offset ({@code 2026-11-22T07:00:00+01:00}), or a local date-time or date ({@code 2026-11-22T06:00},
 * {@code 2026-11-22}, the start of that day) read in a time zone.
 */
final class TimeArgument {

    private TimeArgument() {
    }

    /**
     * @throws UsageException naming the option and the forms it takes
     */
    static Instant parse(String option, String text, ZoneId zone) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + option + " '" + text + "' is not a time; write an ISO-8601 instant such as "
                    + "2026-11-22T06:00:00Z, or a local date-time or date such as 2026-11-22T06:00 or 2026-11-22 (read "
                    + "in " + zone + ")");
        }
    }

    /**
     * An upper bound: as {@link #parse}, but a date alone means its whole day, up to its last second (times in the run
     * history are to the second).
     */
    static Instant until(String option, String text, ZoneId zone) {
        try {
            return LocalDate.parse(text).plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1);
        } catch (DateTimeParseException e) {
            return parse(option, text, zone);
        }
    }

    /** A time zone option, or {@code fallback} without one. */
    static ZoneId zone(Args args, String option, ZoneId fallback) {
        if (args.option(option).isEmpty()) {
            return fallback;
        }
        String name = args.option(option).get();
        try {
            if (!name.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(name)) {
                throw new DateTimeException(name);
            }
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new UsageException("--" + option + " '" + name + "' is not a time zone"
                    + io.tributary.definition.read.Suggestions.didYouMean(name, ZoneId.getAvailableZoneIds().stream()
                    .sorted().toList()) + "; use an IANA name such as Europe/Berlin or UTC");
        }
    }
}
