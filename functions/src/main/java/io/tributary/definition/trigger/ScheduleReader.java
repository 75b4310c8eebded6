package io.tributary.definition.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import io.tributary.settings.SettingReference;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/** Reads {@code "schedule"}: an NCRONTAB expression, its time zone and what happens to missed windows. */
public final class ScheduleReader {

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public ScheduleReader(Fields fields) {
        this.fields = fields;
    }

    /** The schedule {@code schedule} describes; empty when absent or, after its problems, unreadable. */
    public Optional<ScheduleTrigger> schedule(JsonNode schedule) {
        if (schedule == null || !fields.object(schedule, "/schedule", Set.of("cron", "timeZone", "missed",
                "maxCatchUp"))) {
            return Optional.empty();
        }
        String cron = fields.string(schedule, "/schedule", "cron", true);
        boolean cronValid = cron != null && validCron(cron);
        Optional<ZoneId> zone = Optional.of(ScheduleTrigger.DEFAULT_TIME_ZONE);
        String zoneText = fields.string(schedule, "/schedule", "timeZone", false);
        if (zoneText != null) {
            zone = fields.zoneId(zoneText, "/schedule/timeZone");
        }
        String missedText = fields.string(schedule, "/schedule", "missed", false);
        ScheduleTrigger.Missed missed = ScheduleTrigger.Missed.LATEST;
        if (missedText != null) {
            missed = ScheduleTrigger.Missed.of(missedText).orElse(null);
            if (missed == null) {
                fields.problem("/schedule/missed", "unknown policy for missed windows '" + missedText + "'"
                        + Suggestions.didYouMean(missedText, ScheduleTrigger.Missed.NAMES) + "; allowed: catchUp (start "
                        + "each missed window, oldest first, at most maxCatchUp per tick), latest (only the newest), skip (none)");
            }
        }
        int maxCatchUp = positiveInt(schedule, "/schedule", "maxCatchUp", ScheduleTrigger.DEFAULT_MAX_CATCH_UP);
        if (schedule.has("maxCatchUp") && missed != ScheduleTrigger.Missed.CATCH_UP && missed != null) {
            fields.problemAtKey("/schedule/maxCatchUp", "maxCatchUp limits \"missed\": \"catchUp\"; with \""
                    + missed.json() + "\" it does nothing (remove it, or set \"missed\": \"catchUp\")");
        }
        if (!cronValid || zone.isEmpty() || missed == null) {
            return Optional.empty();
        }
        return Optional.of(new ScheduleTrigger(cron, zone.get(), missed, maxCatchUp));
    }

    /**
     * Whether {@code cron} is a valid NCRONTAB expression that fires, or a well-formed {@code %SETTING%} reference
     * (whose value is only known, and checked, when the schedule is evaluated).
     */
    private boolean validCron(String cron) {
        if (cron.contains("%")) {
            if (SettingReference.PATTERN.matcher(cron.trim()).matches()) {
                return true;
            }
            fields.problem("/schedule/cron", "'" + cron + "' is neither an NCRONTAB expression nor an app setting "
                    + "reference; name a setting as the whole value, e.g. \"%ORDERS_SCHEDULE%\" (letters, digits, "
                    + "'_', ':', '.', '-')");
            return false;
        }
        try {
            if (Ncrontab.parse(cron).next(ZonedDateTime.now(ZoneOffset.UTC)).isEmpty()) {
                fields.problem("/schedule/cron", "'" + cron + "' never fires (is it a date that does not exist, "
                        + "such as February 31?)");
                return false;
            }
        } catch (IllegalArgumentException e) {
            fields.problem("/schedule/cron", e.getMessage());
            return false;
        }
        return true;
    }

    /** A whole number of at least 1, or {@code fallback} when absent. */
    private int positiveInt(JsonNode parent, String at, String field, int fallback) {
        JsonNode node = parent.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            fields.problem(at + "/" + field, "expected a whole number of at least 1, found " + Fields.describe(node));
            return fallback;
        }
        return node.asInt();
    }
}
