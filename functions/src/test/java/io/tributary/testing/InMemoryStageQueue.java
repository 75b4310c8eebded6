package io.tributary.testing;

import io.tributary.run.StageMessage;
import io.tributary.port.StageQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stage queues held in memory for unit tests of the stages' rules: keeps what was sent, in order and with its
 * delay, and can be told to fail the next sends, as a queue that cannot be reached does.
 */
public final class InMemoryStageQueue implements StageQueue {

    /** One message sent to one queue, to be received no sooner than {@code delay} from when it was sent. */
    public record Sent(String queue, StageMessage message, Duration delay) {

        /** A message sent to be received at once. */
        public Sent(String queue, StageMessage message) {
            this(queue, message, Duration.ZERO);
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private int failures;

    @Override
    public void send(String queue, StageMessage message) {
        send(queue, message, Duration.ZERO);
    }

    @Override
    public synchronized void send(String queue, StageMessage message, Duration delay) {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("the queue " + queue + " cannot be reached");
        }
        sent.add(new Sent(queue, message, delay));
    }

    /** Fails the next {@code count} sends. */
    public synchronized void failNext(int count) {
        failures = count;
    }

    /** What was sent so far, in order. */
    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
