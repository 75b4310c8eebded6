package io.tributary.definition;

/**
 * Starts a run at every occurrence of an NCRONTAB expression (six fields, seconds first, UTC), reading
 * the current version of the pipeline's {@code source.blob}.
 */
public record ScheduleTrigger(String cron) {
}
