package io.tributary.local;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.definition.trigger.Ncrontab;
import io.tributary.settings.Settings;
import io.tributary.port.BlobStore;
import io.tributary.storage.AzureBlobStore;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Drives one timer-triggered function on its NCRONTAB schedule ({@code %SETTING%} references
 * resolved). Its status — last and next occurrence — lives in
 * {@code azure-webjobs-hosts/timers/{hostId}/{function}/status}, as the Functions host keeps it: an
 * occurrence missed while no host ran fires once at start-up with {@code IsPastDue}, and of two hosts
 * only the one that advances the status (a conditional write) fires an occurrence.
 */
final class TimerListener implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionEntry function;
    private final Ncrontab schedule;
    private final BlobStore blobs;
    private final String status;
    private final BlobServiceClient service;
    private final Invoker invoker;
    private final HostLog log;
    private volatile boolean running = true;

    TimerListener(FunctionEntry function, BlobServiceClient service, Invoker invoker, HostLog log, String hostId) {
        this.function = function;
        this.schedule = Ncrontab.parse(Settings.resolve(((TimerTrigger) function.trigger()).schedule()));
        this.blobs = new AzureBlobStore(service);
        this.status = "timers/" + hostId + "/" + function.qualifiedName() + "/status";
        this.service = service;
        this.invoker = invoker;
        this.log = log;
    }

    void stop() {
        running = false;
    }

    Ncrontab schedule() {
        return schedule;
    }

    @Override
    public void run() {
        boolean started = false;
        Instant next = null;
        while (running) {
            try {
                if (!started) {
                    service.getBlobContainerClient(BlobListener.RECEIPTS).createIfNotExists();
                    Status last = Status.read(blobs, status);
                    if (last != null && last.next.isBefore(Instant.now())) {
                        fire(last, last.next, true);
                    }
                    started = true;
                }
                if (next == null) {
                    next = next(Instant.now());
                }
                while (running && Instant.now().isBefore(next)) {
                    Thread.sleep(Math.min(250, Math.max(1, Duration.between(Instant.now(), next).toMillis())));
                }
                if (running) {
                    fire(Status.read(blobs, status), next, false);
                    next = null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Storage hiccups must not stop the schedule: try the same occurrence again shortly.
                log.warn("timer " + function.name() + ": " + QueueListener.firstLine(e) + "; retrying");
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Instant next(Instant after) {
        return schedule.next(after.atZone(ZoneOffset.UTC)).orElseThrow(() -> new IllegalStateException(
                "the schedule " + schedule + " of " + function.name() + " has no next occurrence")).toInstant();
    }

    private void fire(Status last, Instant occurrence, boolean pastDue) {
        if (last != null && !last.last.isBefore(occurrence)) {
            return;
        }
        Status advanced = new Status(occurrence, next(occurrence), null);
        if (!blobs.putIfUnchanged(BlobListener.RECEIPTS, status, advanced.json(), last == null ? null : last.etag)) {
            return;
        }
        ObjectNode info = JSON.createObjectNode();
        info.putObject("Schedule").put("AdjustForDST", true);
        ObjectNode scheduleStatus = info.putObject("ScheduleStatus");
        if (last != null && !last.last.equals(Instant.EPOCH)) {
            scheduleStatus.put("Last", last.last.atOffset(ZoneOffset.UTC).toString());
        }
        scheduleStatus.put("Next", advanced.next.atOffset(ZoneOffset.UTC).toString());
        scheduleStatus.put("LastUpdated", Instant.now().atOffset(ZoneOffset.UTC).toString());
        info.put("IsPastDue", pastDue);
        try {
            invoker.invoke(function, info.toString(), Map.of(), "Timer fired at " + occurrence);
        } catch (Exception e) {
            // The Functions host does not retry a failed timer invocation; the next occurrence runs as usual.
            log.warn("timer " + function.name() + " failed: " + QueueListener.firstLine(e));
        }
    }

    /** The timer's status blob. */
    private record Status(Instant last, Instant next, String etag) {

        static Status read(BlobStore blobs, String name) {
            return blobs.read(BlobListener.RECEIPTS, name).map(v -> {
                try {
                    JsonNode node = JSON.readTree(v.content());
                    return new Status(Instant.parse(node.path("Last").asText()),
                            Instant.parse(node.path("Next").asText()), v.etag());
                } catch (IOException | java.time.format.DateTimeParseException e) {
                    // Unreadable: treat as never fired, keeping its version so the next firing replaces it.
                    return new Status(Instant.EPOCH, Instant.MAX, v.etag());
                }
            }).orElse(null);
        }

        byte[] json() {
            return JSON.createObjectNode().put("Last", last.toString()).put("Next", next.toString())
                    .put("LastUpdated", Instant.now().toString()).toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
