package io.tributary.definition.trigger;

import io.tributary.settings.SettingReference;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Starts a run at every occurrence of an NCRONTAB expression (six fields, seconds first) on the wall clock of a
 * time zone. Each run covers the window from the previous occurrence to its own.
 *
 * @param cron       the expression, or {@code %SETTING%}: the app setting that holds it, read when the schedule
 *                   is evaluated
 * @param timeZone   the zone whose wall clock the expression is read on
 * @param missed     what a tick does with the occurrences that passed while no tick ran
 * @param maxCatchUp with {@link Missed#CATCH_UP}, the most missed windows one tick starts (the oldest ones; the next
 *                   ticks go on with the rest)
 */
public record ScheduleTrigger(String cron, ZoneId timeZone, Missed missed, int maxCatchUp) {

    /** A whole {@code cron} that names an app setting: {@code %ORDERS_SCHEDULE%}. */
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");
    public static final int DEFAULT_MAX_CATCH_UP = 24;

    /** What a tick does with occurrences that passed while no tick ran (the app was stopped, or ticks failed). */
    public enum Missed {
        /**
         * Start each missed window, oldest first, at most {@code maxCatchUp} per tick; the next ticks go on with the
         * rest until the backlog is caught up. None is skipped.
         */
        CATCH_UP("catchUp"),
        /** Start only the newest occurrence; the older missed ones are skipped. */
        LATEST("latest"),
        /** Start none of the missed ones; only an occurrence due within the current tick starts. */
        SKIP("skip");

        private final String json;

        Missed(String json) {
            this.json = json;
        }

        /** The name a definition uses. */
        public String json() {
            return json;
        }

        public static final List<String> NAMES = List.of("catchUp", "latest", "skip");

        public static Optional<Missed> of(String json) {
            for (Missed missed : values()) {
                if (missed.json.equals(json)) {
                    return Optional.of(missed);
                }
            }
            return Optional.empty();
        }
    }

    /** A schedule of {@code cron} in UTC, with the default missed-window policy. */
    public static ScheduleTrigger utc(String cron) {
        return new ScheduleTrigger(cron, DEFAULT_TIME_ZONE, Missed.LATEST, DEFAULT_MAX_CATCH_UP);
    }

    /** The app setting the expression is read from, when {@code cron} is a {@code %SETTING%} reference. */
    public Optional<String> setting() {
        Matcher m = SettingReference.PATTERN.matcher(cron.trim());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The expression, read from its app setting if it names one, with the zone.
     *
     * @param settings the app settings, by name
     * @throws IllegalStateException    when the named setting is not set, saying where to set it
     * @throws IllegalArgumentException when the expression (or the setting's value) is not valid NCRONTAB
     */
    public ZonedSchedule resolve(Function<String, Optional<String>> settings) {
        Optional<String> name = setting();
        if (name.isEmpty()) {
            return new ZonedSchedule(Ncrontab.parse(cron), timeZone);
        }
        String value = settings.apply(name.get()).orElseThrow(() -> new IllegalStateException("the schedule names "
                + "the app setting " + name.get() + ", which is not set; set it to an NCRONTAB expression such as "
                + "\"0 0 6 * * *\" in local.settings.json (Values) when running locally, or in the function app's "
                + "settings in Azure"));
        try {
            return new ZonedSchedule(Ncrontab.parse(value), timeZone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the app setting " + name.get() + " that the schedule names: "
                    + e.getMessage(), e);
        }
    }
}
