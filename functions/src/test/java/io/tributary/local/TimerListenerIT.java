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
        TimerListener first = new TimerListener(function, storage.blobs(), new Invoker(log), log, "shared-host");
        TimerListener second = new TimerListener(function, storage.blobs(), new Invoker(log), log, "shared-host");
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
        List<String> nexts = FIRINGS.stream().map(f -> f.at("/ScheduleStatus/Next").asText()).toList();
        assertEquals(nexts.size(), nexts.stream().distinct().count(), "an occurrence fired twice: " + nexts);
        for (int i = 1; i < FIRINGS.size(); i++) {
            Instant last = Instant.parse(FIRINGS.get(i).at("/ScheduleStatus/Last").asText());
            Instant previousNext = Instant.parse(nexts.get(i - 1));
            assertTrue(!last.isAfter(previousNext), "firing " + i + ": " + FIRINGS.get(i));
        }
        assertEquals(false, FIRINGS.get(0).get("IsPastDue").asBoolean());
    }
}
