package io.tributary.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt: exponential back-off with jitter, unless the server said how long
 * ({@code Retry-After}, in seconds or as an HTTP date), which is honoured up to {@link #maxRetryAfter()}.
 *
 * @param base          the wait after the first failed attempt, before jitter
 * @param cap           the longest back-off wait
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a server asking for more fails the fetch
 * @param random        a value in [0, 1) per wait: the wait is between half and all of the back-off
 * @param clock         the time an HTTP-date {@code Retry-After} is measured from
 */
public record RetryPolicy(Duration base, Duration cap, Duration maxRetryAfter, DoubleSupplier random, Clock clock) {

    /** 500 ms doubling up to 30 s, with jitter; {@code Retry-After} up to 60 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(60), () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());

    /** The back-off after failed attempt {@code attempt} (1 for the first): base·2^(attempt-1), capped, jittered. */
    public Duration backoff(int attempt) {
        long millis = base.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(millis, 0), cap.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2)));
    }

    /**
     * The wait a {@code Retry-After} header value asks for: delta-seconds or an HTTP date; empty when it is neither.
     */
    public Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.matches("\\d{1,12}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
