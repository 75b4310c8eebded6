package io.tributary.definition.trigger;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.tributary.definition.read.Suggestions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The fields in order, as error messages name them. */
    private static final List<String> FIELDS = List.of("second", "minute", "hour", "day", "month", "day-of-week");
    /** Month and day names as NCrontab knows them; a field may give any prefix of one, in any case. */
    private static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December");
    private static final List<String> DAYS = List.of("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday");
    private static final Pattern NAME = Pattern.compile("[A-Za-z]+");

    /**
     * Parses an expression. Months and days of the week may be named as NCrontab (and so the Azure Functions host)
     * reads them: the whole name or any beginning of it, in any case ({@code Sunday}, {@code sun}, {@code MON-fri},
     * {@code February,April-Jun}); the first name in calendar order that begins so is meant.
     *
     * @throws IllegalArgumentException saying what is wrong, with an example of the six-field form
     */
    public static Ncrontab parse(String expression) {
        String trimmed = expression.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("'" + expression + "' has " + fields.length + " fields; NCRONTAB needs "
                    + "six, seconds first: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 */5 * * * *\"");
        }
        for (int i = 0; i < 4; i++) {
            Matcher name = NAME.matcher(fields[i]);
            if (name.find()) {
                throw invalid(expression, "the " + FIELDS.get(i) + " field '" + fields[i] + "' holds '" + name.group()
                        + "', which is not a number");
            }
        }
        fields[4] = numbered(expression, fields[4], MONTHS, 1, "month");
        fields[5] = numbered(expression, fields[5], DAYS, 0, "day of the week");
        try {
            return new Ncrontab(trimmed, PARSER.parse(String.join(" ", fields)));
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? "it does not parse"
                    : e.getMessage().replace("Failed to parse cron expression. ", "");
            throw invalid(expression, reason);
        }
    }

    private static IllegalArgumentException invalid(String expression, String reason) {
        return new IllegalArgumentException("'" + expression + "' is not a valid NCRONTAB expression: " + reason);
    }

    /** The field with each name replaced by its number ({@code first} for the first name). */
    private static String numbered(String expression, String field, List<String> names, int first, String what) {
        Matcher m = NAME.matcher(field);
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            String typed = m.group();
            int index = -1;
            for (int i = 0; i < names.size() && index < 0; i++) {
                if (names.get(i).regionMatches(true, 0, typed, 0, typed.length()) && typed.length() <= names.get(i).length()) {
                    index = i;
                }
            }
            if (index < 0) {
                throw invalid(expression, "'" + typed + "' is not a " + what + Suggestions.didYouMean(typed, names)
                        + "; use " + (first == 1 ? "1-12 or January-December" : "0-6 (0 is Sunday) or Sunday-Saturday")
                        + ", whole or shortened (" + names.get(1).substring(0, 3) + ")");
            }
            m.appendReplacement(numbered, Integer.toString(index + first));
        }
        m.appendTail(numbered);
        return numbered.toString();
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
