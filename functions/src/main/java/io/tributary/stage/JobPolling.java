package io.tributary.stage;

import java.time.Duration;

/**
 * How often a running job is checked: {@code first} after submitting, then twice as long each time, up to {@code
 * longest}; and how many checks in a row may find its compute unavailable before the step fails.
 */
public record JobPolling(Duration first, Duration longest, int unavailableChecks) {

    /** 10 s, doubling to 5 min; 20 unavailable checks in a row (over an hour) fail the step. */
    public static final JobPolling DEFAULT = new JobPolling(Duration.ofSeconds(10), Duration.ofMinutes(5), 20);

    public JobPolling {
        if (first.isNegative() || longest.compareTo(first) < 0 || unavailableChecks < 1) {
            throw new IllegalArgumentException("job polling of " + first + " to " + longest + " is not valid");
        }
    }

    /** The wait before check {@code number} (1 for the first after submitting). */
    public Duration delay(int number) {
        Duration delay = first;
        for (int i = 1; i < number && delay.compareTo(longest) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(longest) > 0 ? longest : delay;
    }
}
