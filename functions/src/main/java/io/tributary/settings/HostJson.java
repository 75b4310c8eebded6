package io.tributary.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The parts of {@code host.json} the local host honours, with the Functions host's documented
 * defaults for what the file leaves out.
 *
 * @param batchSize          queue messages fetched at once per queue function
 * @param newBatchThreshold  fetch the next batch when this few are still running
 * @param maxDequeueCount    attempts before a message moves to {@code <queue>-poison}
 * @param visibilityTimeout  how long a failed message stays invisible before its retry
 * @param maxPollingInterval the longest wait between polls of an idle queue
 * @param functionTimeout    the longest an invocation may run; queue messages are leased for this long
 */
public record HostJson(int batchSize, int newBatchThreshold, int maxDequeueCount, Duration visibilityTimeout,
                       Duration maxPollingInterval, Duration functionTimeout) {

    public static final HostJson DEFAULTS =
            new HostJson(16, 8, 5, Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(10));

    public HostJson {
        if (batchSize < 1 || batchSize > 32) {
            throw new IllegalArgumentException("host.json queues.batchSize must be 1..32, was " + batchSize);
        }
        if (maxDequeueCount < 1) {
            throw new IllegalArgumentException("host.json queues.maxDequeueCount must be at least 1");
        }
    }

    /**
     * These settings with at most {@code invocations} messages of each queue function in flight at once: batches of
     * one, the next fetched while fewer than {@code invocations} run ({@code batchSize} 1, {@code newBatchThreshold}
     * {@code invocations - 1}).
     */
    public HostJson withConcurrency(int invocations) {
        if (invocations < 1 || invocations > 32) {
            throw new IllegalArgumentException("the concurrency must be 1..32, was " + invocations);
        }
        return new HostJson(1, invocations - 1, maxDequeueCount, visibilityTimeout, maxPollingInterval,
                functionTimeout);
    }

    public static HostJson read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            JsonNode queues = root.path("extensions").path("queues");
            int batchSize = queues.path("batchSize").asInt(DEFAULTS.batchSize);
            return new HostJson(
                    batchSize,
                    queues.path("newBatchThreshold").asInt(batchSize / 2),
                    queues.path("maxDequeueCount").asInt(DEFAULTS.maxDequeueCount),
                    duration(queues.path("visibilityTimeout"), DEFAULTS.visibilityTimeout),
                    duration(queues.path("maxPollingInterval"), DEFAULTS.maxPollingInterval),
                    duration(root.path("functionTimeout"), DEFAULTS.functionTimeout));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code hh:mm:ss} (optionally {@code d.hh:mm:ss} or with fractional seconds). */
    public static Duration duration(JsonNode node, Duration fallback) {
        if (!node.isTextual()) {
            return fallback;
        }
        String text = node.asText();
        String[] dayAndTime = text.split("\\.", 2);
        long days = 0;
        String time = text;
        if (dayAndTime.length == 2 && !dayAndTime[0].contains(":")) {
            days = Long.parseLong(dayAndTime[0]);
            time = dayAndTime[1];
        }
        String[] parts = time.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("host.json: '" + text + "' is not a duration like 00:00:30");
        }
        double seconds = Double.parseDouble(parts[2]);
        return Duration.ofDays(days).plusHours(Long.parseLong(parts[0])).plusMinutes(Long.parseLong(parts[1]))
                .plusMillis(Math.round(seconds * 1000));
    }
}
