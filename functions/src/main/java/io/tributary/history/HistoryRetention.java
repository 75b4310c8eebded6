package io.tributary.history;

import io.tributary.port.RunIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps the run history to a number of days: {@link #sweep} deletes the history rows of runs whose id's time is older
 * (their run and stage rows). The run blobs and datasets are not touched: they are the truth, and have their own
 * lifecycle.
 */
public final class HistoryRetention {

    /** The app setting that says how many days of run history to keep. */
    public static final String SETTING = "TRIBUTARY_HISTORY_RETENTION_DAYS";
    public static final int DEFAULT_DAYS = 90;

    private final RunIndex index;
    private final Clock clock;
    private final int days;

    public HistoryRetention(RunIndex index, Clock clock, int days) {
        this.index = index;
        this.clock = clock;
        this.days = days;
    }

    /** What one sweep removed. */
    public record Swept(Instant cutoff, int runs) {
    }

    /** Deletes the history of runs older than the retention; returns what it removed. */
    public Swept sweep() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        return new Swept(cutoff, index.deleteBefore(cutoff));
    }

    public int days() {
        return days;
    }

    /**
     * The days to keep: the setting {@value #SETTING}, else {@value #DEFAULT_DAYS}.
     *
     * @throws IllegalStateException when the setting is not a whole number of days of at least 1
     */
    public static int days(Function<String, Optional<String>> settings) {
        String text = settings.apply(SETTING).map(String::strip).orElse(String.valueOf(DEFAULT_DAYS));
        try {
            int days = Integer.parseInt(text);
            if (days >= 1) {
                return days;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException("the app setting " + SETTING + " must be a whole number of days, at least 1, "
                + "such as " + DEFAULT_DAYS + "; it is '" + text + "'");
    }
}
