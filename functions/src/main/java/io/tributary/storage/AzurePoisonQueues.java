package io.tributary.storage;

import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueStorageException;
import io.tributary.port.PoisonQueues;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link PoisonQueues} on Azure Storage queues. The messages are read as they are stored and decoded here: the
 * Functions host moves a stage's message to its poison queue base64-encoded, as it read it, and a blob trigger's
 * report may be written either way; plain text that is not base64 is taken as it is.
 */
public final class AzurePoisonQueues implements PoisonQueues {

    private final StorageClients clients;

    public AzurePoisonQueues(StorageClients clients) {
        this.clients = clients;
    }

    @Override
    public List<Poisoned> peek(String queue) {
        List<Poisoned> messages = new ArrayList<>();
        try {
            for (PeekedMessageItem item : clients.rawQueue(queue).peekMessages(MAX_PEEK, null, null)) {
                messages.add(new Poisoned(queue, item.getMessageId(), decode(item.getBody().toString()),
                        item.getInsertionTime() == null ? null : item.getInsertionTime().toInstant(),
                        item.getDequeueCount()));
            }
        } catch (QueueStorageException e) {
            if (QueueErrorCode.QUEUE_NOT_FOUND.equals(e.getErrorCode())) {
                return List.of();
            }
            throw e;
        }
        return messages;
    }

    /** The text of a stored message: base64 decoded when it is base64 of UTF-8 text, else as it is. */
    static String decode(String stored) {
        String text = stored.strip();
        if (text.startsWith("{") || text.isEmpty()) {
            return stored;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Base64.getDecoder().decode(text)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return stored;
        }
    }
}
