package io.tributary.start;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stretch of time one scheduled run covers: from the schedule's previous occurrence to this one. A run gets
 * it as its parameters {@code windowStart} and {@code windowEnd}, ISO-8601 instants in UTC
 * ({@code 2026-11-22T05:00:00Z}), which a fetched source's URL or query may use.
 */
public record ScheduleWindow(Instant start, Instant end) {

    public static final String START = "windowStart";
    public static final String END = "windowEnd";

    /** The run parameters for this window. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(START, start.toString());
        parameters.put(END, end.toString());
        return parameters;
    }
}
