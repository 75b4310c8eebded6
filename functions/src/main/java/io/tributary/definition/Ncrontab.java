package io.tributary.definition;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * An NCRONTAB expression as Azure Functions timers use it: six fields
 * {@code {second} {minute} {hour} {day} {month} {day-of-week}}, evaluated in UTC.
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

    /** The first occurrence strictly after {@code time}. */
    public Optional<ZonedDateTime> next(ZonedDateTime time) {
        return executionTime.nextExecution(time);
    }

    @Override
    public String toString() {
        return expression;
    }
}
