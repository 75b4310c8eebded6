package io.tributary.local;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.port.BlobStore;
import io.tributary.storage.AzureBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one blob-triggered function: every version (name + ETag) of a blob matching the trigger's
 * path fires it once. Azurite emits no Event Grid events, so the container is listed every
 * {@link #POLL} — a drop fires well within a second, as the Event Grid–based trigger would.
 *
 * <p>A receipt blob per version, in {@code azure-webjobs-hosts/blobreceipts/…} as the Functions host
 * keeps them, records that it fired: a restart does not fire it again, and two hosts claim each version
 * once (create-only). A version whose function keeps failing is retried up to {@code maxDequeueCount}
 * times, then reported on {@code webjobs-blobtrigger-poison} ({@link RunLayout#BLOB_TRIGGER_POISON_QUEUE}) as the Functions
 * host words it.
 */
final class BlobListener implements Runnable {

    static final Duration POLL = Duration.ofMillis(250);
    static final String RECEIPTS = "azure-webjobs-hosts";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionEntry function;
    private final BlobServiceClient service;
    private final BlobStore receipts;
    private final QueueClient poison;
    private final HostJson host;
    private final Invoker invoker;
    private final HostLog log;
    private final String hostId;
    private final String container;
    private final Pattern path;
    private final List<String> names;
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> retryAfter = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    BlobListener(FunctionEntry function, BlobServiceClient service, QueueClient poison, HostJson host, Invoker invoker,
                 HostLog log, String hostId) {
        this.function = function;
        this.service = service;
        this.receipts = new AzureBlobStore(service);
        this.poison = poison;
        this.host = host;
        this.invoker = invoker;
        this.log = log;
        this.hostId = hostId;
        String triggerPath = ((BlobTrigger) function.trigger()).path();
        int slash = triggerPath.indexOf('/');
        if (slash < 0) {
            throw new IllegalStateException("function " + function.name() + ": blob trigger path '" + triggerPath
                    + "' must be container/pattern");
        }
        this.container = triggerPath.substring(0, slash);
        this.names = new java.util.ArrayList<>();
        this.path = compile(triggerPath.substring(slash + 1), names);
    }

    String container() {
        return container;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        BlobContainerClient landing = service.getBlobContainerClient(container);
        service.getBlobContainerClient(RECEIPTS).createIfNotExists();
        landing.createIfNotExists();
        while (running) {
            try {
                for (BlobItem item : landing.listBlobs(new ListBlobsOptions(), null)) {
                    if (!running) {
                        return;
                    }
                    Matcher match = path.matcher(item.getName());
                    String version = item.getName() + "\u0000" + item.getProperties().getETag();
                    if (match.matches() && !settled.contains(version) && due(version)) {
                        fire(landing.getBlobClient(item.getName()), item.getProperties().getETag(), match, version);
                    }
                }
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("scanning " + container + " failed: " + QueueListener.firstLine(e) + "; retrying");
                    sleepQuietly(Duration.ofSeconds(2));
                }
            }
        }
    }

    private boolean due(String version) {
        Instant after = retryAfter.get(version);
        return after == null || Instant.now().isAfter(after);
    }

    private void fire(BlobClient blob, String etag, Matcher match, String version) {
        String receipt = "blobreceipts/" + hostId + "/" + function.qualifiedName() + "/" + etag.replace("\"", "") + "/"
                + container + "/" + blob.getBlobName();
        Receipt current = Receipt.read(receipts, receipt);
        if (current != null && (current.status.equals("done") || current.status.equals("poisoned"))) {
            settled.add(version);
            return;
        }
        if (current != null && current.status.equals("running")
                && current.at.plus(host.functionTimeout()).isAfter(Instant.now())) {
            return;
        }
        int attempt = current == null ? 1 : current.attempt + 1;
        if (!receipts.putIfUnchanged(RECEIPTS, receipt, new Receipt("running", attempt, Instant.now()).json(),
                current == null ? null : current.etag)) {
            return;
        }
        Map<String, String> bindingData = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            bindingData.put(names.get(i), match.group(i + 1));
        }
        bindingData.put("BlobTrigger", container + "/" + blob.getBlobName());
        try {
            invoker.invoke(function, blob, bindingData, "New blob detected(" + container + "): " + blob.getBlobName());
            receipts.put(RECEIPTS, receipt, new Receipt("done", attempt, Instant.now()).json());
            settled.add(version);
        } catch (Exception e) {
            if (attempt >= host.maxDequeueCount()) {
                // As the Functions host words it (its BlobTriggerMessage), so that poisonWatch reads both alike.
                poison.sendMessage(JSON.createObjectNode().put("Type", "BlobTrigger")
                        .put("FunctionId", function.qualifiedName())
                        .put("BlobType", "BlockBlob").put("ContainerName", container)
                        .put("BlobName", blob.getBlobName()).put("ETag", etag).toString());
                receipts.put(RECEIPTS, receipt, new Receipt("poisoned", attempt, Instant.now()).json());
                settled.add(version);
                log.warn(container + "/" + blob.getBlobName() + " failed " + attempt + " times; reported on '"
                        + RunLayout.BLOB_TRIGGER_POISON_QUEUE + "'. Last error: " + QueueListener.firstLine(e));
            } else {
                receipts.put(RECEIPTS, receipt, new Receipt("failed", attempt, Instant.now()).json());
                retryAfter.put(version, Instant.now().plus(host.visibilityTimeout()));
            }
        }
    }

    /** Turns {@code orders/{name}.csv} into a regex with one group per {@code {placeholder}}. */
    static Pattern compile(String pattern, List<String> names) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)\\}").matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append(names.isEmpty() && m.end() == pattern.length() ? "(.+)" : "(.+?)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The state of one blob version's trigger. */
    private record Receipt(String status, int attempt, Instant at, String etag) {

        Receipt(String status, int attempt, Instant at) {
            this(status, attempt, at, null);
        }

        byte[] json() {
            ObjectNode node = JSON.createObjectNode().put("status", status).put("attempt", attempt)
                    .put("at", at.toString());
            return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        static Receipt read(BlobStore receipts, String name) {
            return receipts.read(RECEIPTS, name).map(v -> {
                try {
                    JsonNode node = JSON.readTree(v.content());
                    return new Receipt(node.path("status").asText(), node.path("attempt").asInt(),
                            Instant.parse(node.path("at").asText()), v.etag());
                } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
                    return new Receipt("failed", 0, Instant.EPOCH, v.etag());
                }
            }).orElse(null);
        }
    }
}
