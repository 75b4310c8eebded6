package io.tributary.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.run.Json;
import io.tributary.storage.StorageClients;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timer triggers: NCRONTAB occurrences fire once each, even with two hosts running. */
class TimerListenerIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final List<JsonNode> FIRINGS = new CopyOnWriteArrayList<>();

    /** A timer function that records each firing. */
    public static class EverySecond {
        @FunctionName("everySecond")
        public void run(@TimerTrigger(name = "timer", schedule = "* * * * * *") String timerInfo,
                        ExecutionContext context) {
            FIRINGS.add(Json.read(timerInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class));
        }
    }

    @Test
    void twoHostsFireEachOccurrenceOnce() throws Exception {
        StorageClients storage = AZURITE.clients();
        FunctionEntry function = FunctionEntry.of(EverySecond.class.getMethod("run", String.class,
                ExecutionContext.class)).orElseThrow();
        HostLog log = new HostLog(new PrintStream(new ByteArrayOutputStream()), true);
        TimerListener first = new TimerListener(function, storage.blobs(), new Invoker(log, Invoker.CONSTRUCTORS), log, "shared-host");
        TimerListener second = new TimerListener(function, storage.blobs(), new Invoker(log, Invoker.CONSTRUCTORS), log, "shared-host");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        threads.execute(first);
        threads.execute(second);
        try {
            Eventually.await("five firings", Duration.ofSeconds(20),
                    () -> Optional.of(FIRINGS.size()).filter(n -> n >= 5));
        } finally {
            first.stop();
            second.stop();
            threads.shutdown();
        }
        List<Instant> nexts = FIRINGS.stream()
                .map(f -> Instant.parse(f.at("/ScheduleStatus/Next").asText())).toList();
        for (int i = 1; i < nexts.size(); i++) {
            assertTrue(nexts.get(i).isAfter(nexts.get(i - 1)), "an occurrence fired twice or out of order: " + nexts);
        }
        assertEquals(false, FIRINGS.get(0).get("IsPastDue").asBoolean());
    }

    @Test
    void anOccurrenceMissedWhileNoHostRanFiresOnceAtStartAsPastDue() throws Exception {
        StorageClients storage = AZURITE.clients();
        FunctionEntry function = FunctionEntry.of(Hourly.class.getMethod("run", String.class, ExecutionContext.class))
                .orElseThrow();
        String status = "timers/past-due-host/" + function.qualifiedName() + "/status";
        storage.blobs().getBlobContainerClient(BlobListener.RECEIPTS).createIfNotExists();
        storage.blobs().getBlobContainerClient(BlobListener.RECEIPTS).getBlobClient(status).upload(
                com.azure.core.util.BinaryData.fromString("{\"Last\":\"2026-01-01T00:00:00Z\","
                        + "\"Next\":\"2026-01-01T01:00:00Z\"}"), true);
        HostLog log = new HostLog(new PrintStream(new ByteArrayOutputStream()), true);
        TimerListener listener = new TimerListener(function, storage.blobs(), new Invoker(log, Invoker.CONSTRUCTORS), log, "past-due-host");
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.execute(listener);
        try {
            JsonNode firing = Eventually.await("the past-due firing", Duration.ofSeconds(10),
                    () -> HOURLY.stream().findFirst());
            assertEquals(true, firing.get("IsPastDue").asBoolean());
            assertEquals("2026-01-01T00:00Z", firing.at("/ScheduleStatus/Last").asText());
            Thread.sleep(1000);
            assertEquals(1, HOURLY.size(), "it fires once, not once per missed hour");
        } finally {
            listener.stop();
            thread.shutdown();
        }
    }

    static final List<JsonNode> HOURLY = new CopyOnWriteArrayList<>();

    /** A timer function on an hourly schedule that records each firing. */
    public static class Hourly {
        @FunctionName("hourly")
        public void run(@TimerTrigger(name = "timer", schedule = "0 0 * * * *") String timerInfo,
                        ExecutionContext context) {
            HOURLY.add(Json.read(timerInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class));
        }
    }
}
