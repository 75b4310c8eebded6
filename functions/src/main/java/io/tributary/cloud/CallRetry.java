package io.tributary.cloud;

import io.tributary.fetch.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a call to a cloud service may take: a throttled (429), failing (5xx), lost or unanswered request is sent
 * again, after the wait its {@code Retry-After} asks for or a back-off, up to {@code attempts} requests and {@code
 * budget} of waiting in all; then the call gives up as unavailable, and the queue's redelivery of the work tries again
 * later. An invocation has a time limit and other work: it does not wait for minutes.
 *
 * @param attempts requests per call, the first included
 * @param budget   the most a call waits between its requests, in all
 * @param timeout  how long one request waits for its answer
 * @param backoff  the wait between requests when the service says none
 */
public record CallRetry(int attempts, Duration budget, Duration timeout, RetryPolicy backoff) {

    /** 4 requests, 1 s doubling with jitter, at most 60 s of waiting, 30 s per request. */
    public static final CallRetry DEFAULT = new CallRetry(4, Duration.ofSeconds(60), Duration.ofSeconds(30),
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(60),
                    () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC()));

    public CallRetry {
        if (attempts < 1) {
            throw new IllegalArgumentException("a call needs at least 1 attempt, not " + attempts);
        }
    }
}
