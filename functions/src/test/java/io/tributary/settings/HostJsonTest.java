package io.tributary.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostJsonTest {

    @Test
    void readsTheProjectsHostJson() {
        HostJson host = HostJson.read(Path.of(System.getProperty("tributary.root", ".")).resolve("host.json"));
        assertEquals(4, host.batchSize());
        assertEquals(2, host.newBatchThreshold());
        assertEquals(5, host.maxDequeueCount());
        assertEquals(Duration.ofSeconds(5), host.visibilityTimeout());
        assertEquals(Duration.ofSeconds(2), host.maxPollingInterval());
        assertEquals(Duration.ofMinutes(10), host.functionTimeout());
    }

    @Test
    void fillsWhatTheFileLeavesOutWithTheFunctionsHostDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host.json");
        Files.writeString(file, "{\"version\": \"2.0\", \"extensions\": {\"queues\": {\"batchSize\": 8}}}");
        HostJson host = HostJson.read(file);
        assertEquals(8, host.batchSize());
        assertEquals(4, host.newBatchThreshold());
        assertEquals(5, host.maxDequeueCount());
        assertEquals(Duration.ZERO, host.visibilityTimeout());
        assertEquals(Duration.ofMinutes(1), host.maxPollingInterval());
    }

    @Test
    void aConcurrencyOverrideFetchesOneMessageAtATimeUpToTheLimit() {
        HostJson host = HostJson.DEFAULTS.withConcurrency(2);
        assertEquals(1, host.batchSize());
        assertEquals(1, host.newBatchThreshold());
        assertEquals(HostJson.DEFAULTS.maxDequeueCount(), host.maxDequeueCount());
        assertEquals(HostJson.DEFAULTS.functionTimeout(), host.functionTimeout());
        assertEquals(0, HostJson.DEFAULTS.withConcurrency(1).newBatchThreshold());
        assertEquals("the concurrency must be 1..32, was 0", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> HostJson.DEFAULTS.withConcurrency(0)).getMessage());
    }

    @Test
    void parsesTimeSpans() {
        assertEquals(Duration.ofMillis(1500), HostJson.duration(new com.fasterxml.jackson.databind.node.TextNode(
                "00:00:01.5"), Duration.ZERO));
        assertEquals(Duration.ofDays(1).plusHours(2), HostJson.duration(
                new com.fasterxml.jackson.databind.node.TextNode("1.02:00:00"), Duration.ZERO));
    }
}
