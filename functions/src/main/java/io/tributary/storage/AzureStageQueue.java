package io.tributary.storage;

import io.tributary.run.Json;
import io.tributary.run.StageMessage;
import io.tributary.port.StageQueue;
import java.time.Duration;

/** {@link StageQueue} on Azure Storage queues, base64-encoded as the Functions queue trigger reads them. */
public final class AzureStageQueue implements StageQueue {

    private final StorageClients clients;

    public AzureStageQueue(StorageClients clients) {
        this.clients = clients;
    }

    @Override
    public void send(String queue, StageMessage message) {
        clients.queue(queue).sendMessage(Json.compact(message));
        QueueActivity.sent(queue);
    }

    @Override
    public void send(String queue, StageMessage message, Duration delay) {
        clients.queue(queue).sendMessageWithResponse(Json.compact(message), delay, null, null,
                com.azure.core.util.Context.NONE);
        QueueActivity.sent(queue);
    }
}
