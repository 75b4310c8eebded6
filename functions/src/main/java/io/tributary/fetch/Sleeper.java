package io.tributary.fetch;

import java.time.Duration;

/** Waits between attempts; tests give one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps with {@link Thread#sleep}. */
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
