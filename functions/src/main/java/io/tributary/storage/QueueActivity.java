package io.tributary.storage;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Tells in-process queue listeners that a message was just sent, so they poll at once instead of
 * waiting out their back-off — what the Functions host does for messages its own functions enqueue.
 * Listeners on other processes still find the message by polling.
 */
public final class QueueActivity {

    private static final Set<Consumer<String>> LISTENERS = new CopyOnWriteArraySet<>();

    private QueueActivity() {
    }

    /** Calls {@code listener} with the queue's name after each send in this process, until closed. */
    public static AutoCloseable subscribe(Consumer<String> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    static void sent(String queue) {
        LISTENERS.forEach(l -> l.accept(queue));
    }
}
