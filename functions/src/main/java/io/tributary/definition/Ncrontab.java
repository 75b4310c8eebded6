package io.tributary.definition;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * An NCRONTAB expression as Azure Functions timers use it: six fields
 * {@code {second} {minute} {hour} {day} {month} {day-of-week}}, evaluated in UTC or, with
 * {@link #next(Instant, ZoneId)}, on the wall clock of a time zone.
 *
 * <p>Daylight saving time, in a zone: a wall-clock time that does not exist on the day the clocks go forward
 * (02:30 in the skipped hour) fires once, shifted forward by the gap (at 03:30); a wall-clock time that
 * occurs twice on the day the clocks go back (02:30 in the repeated hour) fires once, the first time. Each
 * day's firings are thus those of its wall clock, as with Azure Functions' {@code WEBSITE_TIME_ZONE}.
 */
public final class Ncrontab {

    private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
            .withSeconds().and()
            .withMinutes().and()
            .withHours().and()
            .withDayOfMonth().supportsQuestionMark().and()
            .withMonth().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).supportsQuestionMark().and()
            .instance();
    private static final CronParser PARSER = new CronParser(DEFINITION);

    private final String expression;
    private final ExecutionTime executionTime;

    private Ncrontab(String expression, Cron cron) {
        this.expression = expression;
        this.executionTime = ExecutionTime.forCron(cron);
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException saying what is wrong, with an example of the six-field form
     */
    public static Ncrontab parse(String expression) {
        String trimmed = expression.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 6) {
            throw new IllegalArgumentException("'" + expression + "' has " + fields + " fields; NCRONTAB needs six, "
                    + "seconds first: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 */5 * * * *\"");
        }
        try {
            return new Ncrontab(trimmed, PARSER.parse(trimmed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a valid NCRONTAB expression: "
                    + e.getMessage());
        }
    }

    /** The first occurrence strictly after {@code time}, on the wall clock of {@code time}'s zone as cron-utils sees it. */
    public Optional<ZonedDateTime> next(ZonedDateTime time) {
        return executionTime.nextExecution(time);
    }

    /** The most wall-clock times one search looks at: the repeated hour holds at most 3600 of them. */
    private static final int MAX_SKIPPED = 10_000;

    /**
     * The first occurrence strictly after {@code after}, with the expression read on the wall clock of {@code zone}
     * (see the class comment for the daylight-saving rules).
     */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
        for (int i = 0; i < MAX_SKIPPED; i++) {
            Optional<ZonedDateTime> candidate = executionTime.nextExecution(wall.atZone(ZoneOffset.UTC));
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            wall = candidate.get().toLocalDateTime();
            Instant instant = firstInstant(wall, zone);
            if (instant.isAfter(after)) {
                return Optional.of(instant);
            }
            // The first pass of a repeated hour, already behind us: its second pass does not fire.
        }
        throw new IllegalStateException("'" + expression + "' has no occurrence after " + after + " within "
                + MAX_SKIPPED + " wall-clock times in " + zone);
    }

    /**
     * The last occurrence strictly before {@code before}, in {@code zone}: the one {@link #next(Instant, ZoneId)}
     * would return from just before it.
     */
    public Optional<Instant> previous(Instant before, ZoneId zone) {
        // Widen the look-back until some occurrence falls in it, then narrow to the second before the last one.
        Duration span = Duration.ofSeconds(1);
        Instant low = null;
        Instant high = before;
        while (low == null) {
            Instant start = before.minus(span);
            Optional<Instant> next = next(start, zone);
            if (next.isPresent() && next.get().isBefore(before)) {
                low = start;
            } else if (span.compareTo(MAX_LOOK_BACK) >= 0) {
                return Optional.empty();
            } else {
                high = start;
                span = span.multipliedBy(2);
            }
        }
        // Invariant: next(low) < before <= next(high).
        while (Duration.between(low, high).getSeconds() > 1) {
            Instant middle = low.plusSeconds(Duration.between(low, high).getSeconds() / 2);
            if (next(middle, zone).orElseThrow().isBefore(before)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return next(low, zone);
    }

    /** How far back {@link #previous} looks: an expression can fire as rarely as once in a leap year. */
    private static final Duration MAX_LOOK_BACK = Duration.ofDays(4 * 366 * 2);

    /** The instant of a wall-clock time: in a gap, shifted forward by its length; in an overlap, the earlier one. */
    static Instant firstInstant(LocalDateTime wall, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(wall);
        if (transition != null && transition.isOverlap()) {
            return wall.atOffset(transition.getOffsetBefore()).toInstant();
        }
        return ZonedDateTime.ofLocal(wall, zone, null).toInstant();
    }

    @Override
    public String toString() {
        return expression;
    }
}
