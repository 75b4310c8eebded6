package io.tributary.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bench's figures, as {@code --json} prints them: throughputs in MB (10^6 bytes) of source per second, memory in
 * MiB (2^20 bytes, as {@code -Xmx256m} counts), latencies in milliseconds; then the tables' ({@link TableFigures}).
 *
 * @param engineMbS     (a) the engine's throughput on local files
 * @param duckdbMbS     (a) the hand-written DuckDB statement's, on the same files
 * @param e2eMbS        (b) drop to commit through the storage account
 * @param rawCopyMbS    (b) a plain download and upload of the same bytes through the same account
 * @param peakHeapMb    (c) the host's peak heap use
 * @param peakRssMb     (c) the host process's peak resident set
 * @param latencyP50Ms  (d) drop-to-commit latency of small files, median
 * @param latencyP95Ms  (d) … 95th percentile
 * @param workers1MbS   (e) several files at once through a host running one invocation per function at a time
 * @param workers2MbS   (e) … two
 * @param table         (f) and (g): a Delta table's commits, reads and merges
 */
public record BenchResult(double engineMbS, double duckdbMbS, double e2eMbS, double rawCopyMbS, double peakHeapMb,
                          double peakRssMb, double latencyP50Ms, double latencyP95Ms, double workers1MbS,
                          double workers2MbS, TableFigures table) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fields by their JSON names, in order, each to two decimals (the tables' shares to three). */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("engine_mb_s", round(engineMbS));
        fields.put("duckdb_mb_s", round(duckdbMbS));
        fields.put("e2e_mb_s", round(e2eMbS));
        fields.put("raw_copy_mb_s", round(rawCopyMbS));
        fields.put("peak_heap_mb", round(peakHeapMb));
        fields.put("peak_rss_mb", round(peakRssMb));
        fields.put("latency_p50_ms", round(latencyP50Ms));
        fields.put("latency_p95_ms", round(latencyP95Ms));
        fields.put("workers1_mb_s", round(workers1MbS));
        fields.put("workers2_mb_s", round(workers2MbS));
        fields.putAll(table.fields());
        return fields;
    }

    /** One line of JSON: one object with exactly the fields of {@link #fields()}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(fields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigDecimal round(double value) {
        return round(value, 2);
    }

    /** {@code value} to {@code decimals} places; 0 when it is no number. */
    static BigDecimal round(double value, int decimals) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP)
                : BigDecimal.ZERO;
    }
}
