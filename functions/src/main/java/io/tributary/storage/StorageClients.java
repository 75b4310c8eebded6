package io.tributary.storage;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageDecodingError;
import com.azure.storage.queue.models.QueueMessageItem;
import io.tributary.run.RunLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The blob, queue and table service clients for one storage account, built once and shared: SDK clients
 * are thread-safe and expensive to build.
 */
public final class StorageClients {

    /** The containers and queues the stage chain needs. */
    public static final List<String> CONTAINERS = List.of(RunLayout.LANDING, RunLayout.RUNS, RunLayout.TRAINING,
            RunLayout.ARCHIVE, RunLayout.STATE);
    public static final List<String> QUEUES = RunLayout.STAGE_QUEUES;
    /** The tables of the run history ({@link TableRunIndex}). */
    public static final List<String> TABLES = List.of(RunLayout.RUNS_TABLE, RunLayout.STAGES_TABLE);

    private final StorageAccount account;
    private final Supplier<TokenCredential> credential;
    private final Supplier<BlobServiceClient> blobs;
    private final Supplier<QueueServiceClient> queueService;
    private final Supplier<QueueServiceClient> rawQueueService;
    private final Supplier<TableServiceClient> tables;
    private final Map<String, QueueClient> queues = new ConcurrentHashMap<>();

    /**
     * Each service's client is built on first use, then kept: building one costs hundreds of milliseconds of class
     * loading, which a command that reads one service should not pay for the others.
     */
    public StorageClients(StorageAccount account, RetryPolicy retry) {
        this.account = account;
        RequestRetryOptions retryOptions = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, retry.maxTries(),
                retry.tryTimeout(), retry.baseDelay(), retry.maxDelay(), null);
        Supplier<TokenCredential> credential = once(() -> account.configure(new DefaultAzureCredentialBuilder()).build());
        this.credential = credential;
        this.blobs = once(() -> {
            BlobServiceClientBuilder builder = new BlobServiceClientBuilder().retryOptions(retryOptions);
            return (account.usesIdentity() ? builder.endpoint(account.blobEndpoint().toString())
                    .credential(credential.get()) : builder.connectionString(account.connectionString())).buildClient();
        });
        this.queueService = once(() -> queueBuilder(retryOptions, credential).buildClient());
        this.rawQueueService = once(() -> queueBuilder(retryOptions, credential)
                .messageEncoding(QueueMessageEncoding.NONE).processMessageDecodingError(null).buildClient());
        this.tables = once(() -> {
            TableServiceClientBuilder builder = new TableServiceClientBuilder().retryOptions(new RetryOptions(
                    new ExponentialBackoffOptions().setMaxRetries(retry.maxTries() - 1).setBaseDelay(retry.baseDelay())
                            .setMaxDelay(retry.maxDelay())));
            return (account.usesIdentity() ? builder.endpoint(account.tableEndpoint().toString())
                    .credential(credential.get()) : builder.connectionString(account.connectionString())).buildClient();
        });
    }

    private QueueServiceClientBuilder queueBuilder(RequestRetryOptions retryOptions,
                                                   Supplier<TokenCredential> credential) {
        QueueServiceClientBuilder builder = new QueueServiceClientBuilder().retryOptions(retryOptions)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .processMessageDecodingError(this::poisonUndecodable);
        return account.usesIdentity() ? builder.endpoint(account.queueEndpoint().toString()).credential(credential.get())
                : builder.connectionString(account.connectionString());
    }

    /** {@code factory}'s value, made on the first call and kept. */
    private static <T> Supplier<T> once(Supplier<T> factory) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T made = value;
                if (made == null) {
                    synchronized (this) {
                        made = value;
                        if (made == null) {
                            made = factory.get();
                            value = made;
                        }
                    }
                }
                return made;
            }
        };
    }

    public StorageAccount account() {
        return account;
    }

    /** Where the account is, for the URIs jobs are given. */
    public io.tributary.run.StorageAddress address() {
        BlobServiceClient blobs = blobs();
        return new io.tributary.run.StorageAddress(blobs.getAccountName(), blobs.getAccountUrl());
    }

    public BlobServiceClient blobs() {
        return blobs.get();
    }

    /**
     * The app's Microsoft Entra credential: {@code DefaultAzureCredential}, pinned to the user-assigned identity that
     * the storage settings name ({@link StorageAccount#configure}); built on first use and shared with the other Azure
     * services the app calls (Azure Machine Learning), so that one identity and one token cache serve them all.
     */
    public TokenCredential credential() {
        return credential.get();
    }

    /** A client for table {@code name} (one of {@link #TABLES}). */
    public TableClient table(String name) {
        return tables.get().getTableClient(name);
    }

    /** A base64-encoding client for {@code name}, as the Functions queue trigger expects. */
    public QueueClient queue(String name) {
        return queues.computeIfAbsent(name, n -> queueService.get().getQueueClient(n));
    }

    /**
     * A client for {@code name} that reads messages as they are stored, undecoded: for looking at poison queues, whose
     * messages need not be base64 (see {@link AzurePoisonQueues}).
     */
    public QueueClient rawQueue(String name) {
        return rawQueueService.get().getQueueClient(name);
    }

    /**
     * A message that is not base64 cannot be a Functions queue message (someone put plain text on the
     * queue): it goes to the queue's poison queue as it is, instead of blocking the queue.
     */
    private void poisonUndecodable(QueueMessageDecodingError error) {
        QueueMessageItem message = error.getQueueMessageItem();
        if (message == null) {
            return;
        }
        QueueClient source = error.getQueueClient();
        queue(RunLayout.poisonQueue(source.getQueueName())).sendMessage(message.getBody().toString());
        source.deleteMessage(message.getMessageId(), message.getPopReceipt());
        Logger.getLogger(StorageClients.class.getName()).warning("Message " + message.getMessageId() + " on '"
                + source.getQueueName() + "' is not base64; moved it to '" + source.getQueueName() + "-poison'");
    }

    /** Creates {@code container} unless it exists. */
    public void createContainer(String container) {
        blobs().getBlobContainerClient(container).createIfNotExists();
    }

    /**
     * Creates the containers, queues (with their poison queues) and tables that do not exist yet.
     *
     * @return whether the run history's tables were created now (so runs before them have no history yet)
     */
    public boolean provision() {
        for (String container : CONTAINERS) {
            blobs().getBlobContainerClient(container).createIfNotExists();
        }
        for (String queue : QUEUES) {
            queue(queue).createIfNotExists();
            queue(RunLayout.poisonQueue(queue)).createIfNotExists();
        }
        return provisionHistory();
    }

    /**
     * Creates the run history's tables that do not exist yet: all a command that only reads runs needs.
     *
     * @return whether a table was created now
     */
    public boolean provisionHistory() {
        boolean created = false;
        for (String table : TABLES) {
            // The SDK hands back a client for a table that already existed too: only the status tells them apart.
            created |= tables.get().createTableIfNotExistsWithResponse(table, null, null).getStatusCode() != 409;
        }
        return created;
    }

    /**
     * How storage calls are retried: the one place that decides it.
     *
     * @param maxTries    attempts per call, the first included
     * @param tryTimeout  limit on one attempt
     */
    public record RetryPolicy(int maxTries, Duration tryTimeout, Duration baseDelay, Duration maxDelay) {
        /** For the function app: rides out transient faults. */
        public static final RetryPolicy SERVICE =
                new RetryPolicy(5, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(10));
        /** For commands a person waits on, and tests: fails within seconds when storage is down. */
        public static final RetryPolicy INTERACTIVE =
                new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(1));
    }

}
