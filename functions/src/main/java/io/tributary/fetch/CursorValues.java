package io.tributary.fetch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Orders the values of an incremental cursor, which are kept as text: numerically when both are numbers, as instants
 * when both are ISO-8601 timestamps with an offset or {@code Z}, else as strings.
 */
public final class CursorValues {

    private CursorValues() {
    }

    /** Negative, zero or positive as {@code a} is before, at or after {@code b}. */
    public static int compare(String a, String b) {
        Optional<BigDecimal> numberA = number(a);
        Optional<BigDecimal> numberB = number(b);
        if (numberA.isPresent() && numberB.isPresent()) {
            return numberA.get().compareTo(numberB.get());
        }
        Optional<Instant> instantA = instant(a);
        Optional<Instant> instantB = instant(b);
        if (instantA.isPresent() && instantB.isPresent()) {
            return instantA.get().compareTo(instantB.get());
        }
        return a.compareTo(b);
    }

    /** The larger of the two; {@code b} when {@code a} is null. */
    public static String max(String a, String b) {
        return a == null || compare(b, a) > 0 ? b : a;
    }

    private static Optional<BigDecimal> number(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-' || text.charAt(0) == '+')) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
