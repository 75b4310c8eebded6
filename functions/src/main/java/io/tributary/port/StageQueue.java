package io.tributary.port;

import io.tributary.run.StageMessage;
import java.time.Duration;

/** Hands a run to its next stage. Delivery is at least once: every receiver is idempotent. */
public interface StageQueue {

    /** Sends {@code message} to {@code queue}. */
    void send(String queue, StageMessage message);

    /**
     * Sends {@code message} to {@code queue}, to be received no sooner than {@code delay} from now. Implementations
     * that cannot delay send at once (the receiver then checks again sooner: busier, not wrong).
     */
    default void send(String queue, StageMessage message, Duration delay) {
        send(queue, message);
    }
}
