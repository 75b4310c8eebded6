package io.tributary.port;

import java.time.Instant;
import java.util.List;

/** Looks at poison queues without taking anything off them: what is there stays for people to inspect. */
@FunctionalInterface
public interface PoisonQueues {

    /** How many messages one look sees at most (an Azure Storage queue peeks at most 32). */
    int MAX_PEEK = 32;

    /**
     * The messages at the front of {@code queue}, up to {@link #MAX_PEEK}, oldest first, peeked: they stay on the
     * queue, visible, their dequeue counts unchanged. A queue that does not exist holds none.
     */
    List<Poisoned> peek(String queue);

    /**
     * A message on a poison queue.
     *
     * @param id           the queue's id of the message (stable while it stays on the queue)
     * @param body         its text, decoded from base64 when it was so encoded
     * @param insertedAt   when it was put on the poison queue
     * @param dequeueCount how often it was received from the poison queue (not the attempts that poisoned it)
     */
    record Poisoned(String queue, String id, String body, Instant insertedAt, long dequeueCount) {
    }
}
