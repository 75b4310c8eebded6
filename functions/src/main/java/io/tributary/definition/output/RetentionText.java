package io.tributary.definition.output;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's retention as people write it, in a definition's {@code output.table.retention} and on the command line:
 * a whole number and {@code d}, {@code h} or {@code m} ({@code 7d}, {@code 36h}, {@code 90m}).
 */
public final class RetentionText {

    /** The shortest retention: below it, vacuum could delete a file a reader that opened an older version still reads. */
    public static final Duration MINIMUM = Duration.ofHours(1);
    /** What a text that is not a retention is told to look like. */
    public static final String FORM = "a whole number and d, h or m, e.g. \"7d\" or \"36h\"";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(d|h|m)");

    private RetentionText() {
    }

    /** The duration {@code text} writes, or empty when it is not of the form. */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        });
    }

    /** {@code retention} as it would be written: in days, else hours, else minutes. */
    public static String text(Duration retention) {
        long minutes = retention.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }
}
