package io.tributary.stage;

import io.tributary.run.StageMessage;

/** Hands a run to its next stage. Delivery is at least once: every receiver is idempotent. */
public interface StageQueue {

    /** Sends {@code message} to {@code queue}. */
    void send(String queue, StageMessage message);
}
