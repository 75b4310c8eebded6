package io.tributary.settings;

import io.tributary.settings.SettingReference;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * App settings: the one place that decides where a setting's value comes from. In Azure they are
 * environment variables; the local host adds {@code local.settings.json}'s {@code Values} on top,
 * as {@code func start} does.
 */
public final class Settings {

    /** The app setting holding the poisonWatch function's NCRONTAB schedule (default every five minutes). */
    public static final String POISON_WATCH_SCHEDULE = "TRIBUTARY_POISON_WATCH_SCHEDULE";

    private static final Map<String, String> OVERLAY = new ConcurrentHashMap<>();
    /**
     * Values for settings that a binding names ({@code %NAME%}) and that have a sensible value when unset. The local
     * host reads them from here; the Functions host in Azure has no defaults for binding expressions, so a
     * deployment sets them with the other app settings.
     */
    public static final Map<String, String> DEFAULTS = Map.of(
            POISON_WATCH_SCHEDULE, "0 */5 * * * *");

    private Settings() {
    }

    /** The setting's value: the overlay's, else the environment's, else a JVM system property's, else its default. */
    public static Optional<String> get(String name) {
        String value = OVERLAY.get(name);
        if (value == null) {
            value = System.getenv(name);
        }
        if (value == null) {
            value = System.getProperty(name);
        }
        if (value == null || value.isBlank()) {
            value = DEFAULTS.get(name);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    public static String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    /**
     * The setting's value.
     *
     * @throws IllegalStateException naming the setting and how to set it, when it is missing
     */
    public static String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("the app setting " + name + " is not set; set it "
                + "in local.settings.json (Values) when running locally, or in the function app's settings in Azure"));
    }

    /** Replaces every {@code %NAME%} in {@code text} with that setting's value. */
    public static String resolve(String text) {
        Matcher m = SettingReference.PATTERN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(require(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Adds settings on top of the environment, for this process (the local host and tests). */
    public static void overlay(Map<String, String> values) {
        OVERLAY.putAll(values);
    }

    /** Removes the overlaid settings {@code names}, leaving the others. */
    public static void removeOverlay(java.util.Collection<String> names) {
        names.forEach(OVERLAY::remove);
    }

    /** Removes every overlaid setting. */
    public static void clearOverlay() {
        OVERLAY.clear();
    }
}
