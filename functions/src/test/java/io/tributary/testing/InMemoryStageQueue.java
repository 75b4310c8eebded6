package io.tributary.testing;

import io.tributary.run.StageMessage;
import io.tributary.port.StageQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * The stage queues held in memory for unit tests of the stages' rules: keeps what was sent, in order, and can be told
 * to fail the next sends, as a queue that cannot be reached does.
 */
public final class InMemoryStageQueue implements StageQueue {

    /** One message sent to one queue. */
    public record Sent(String queue, StageMessage message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private int failures;

    @Override
    public synchronized void send(String queue, StageMessage message) {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("the queue " + queue + " cannot be reached");
        }
        sent.add(new Sent(queue, message));
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
