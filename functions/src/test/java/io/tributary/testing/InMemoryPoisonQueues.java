package io.tributary.testing;

import io.tributary.port.PoisonQueues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Poison queues held in memory, for unit tests of the poison watch: messages are put on as the host would move them
 * there, and a peek sees the first {@link PoisonQueues#MAX_PEEK} of a queue, oldest first, leaving them where they are.
 */
public final class InMemoryPoisonQueues implements PoisonQueues {

    private final Map<String, List<Poisoned>> queues = new TreeMap<>();
    private int ids;

    /** Puts a message on {@code queue}, as the host does after its last attempt; returns it. */
    public synchronized Poisoned poison(String queue, String body, Instant insertedAt) {
        Poisoned message = new Poisoned(queue, "message-" + ++ids, body, insertedAt, 0);
        queues.computeIfAbsent(queue, q -> new ArrayList<>()).add(message);
        return message;
    }

    @Override
    public synchronized List<Poisoned> peek(String queue) {
        List<Poisoned> messages = queues.getOrDefault(queue, List.of());
        return List.copyOf(messages.subList(0, Math.min(MAX_PEEK, messages.size())));
    }
}
