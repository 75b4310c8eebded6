package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    private static final TableFigures TABLE = new TableFigures(212.4, 95.04, 88.888, 2877.5, 2.1168, 3.0 / 84, 45.61, 1,
            45.17);
    private static final BenchResult RESULT =
            new BenchResult(21.456, 33.1, 8.4649, 26, 41.3, 289.94, 626.48, 1031.16, 5.5, 8.8, TABLE);

    @Test
    void theJsonLineHasExactlyTheAskedFieldsInOrder() throws Exception {
        String json = RESULT.toJson();
        assertEquals(-1, json.indexOf('\n'));
        JsonNode node = new ObjectMapper().readTree(json);
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("engine_mb_s", "duckdb_mb_s", "e2e_mb_s", "raw_copy_mb_s", "peak_heap_mb", "peak_rss_mb",
                "latency_p50_ms", "latency_p95_ms", "workers1_mb_s", "workers2_mb_s", "table_append_commit_ms",
                "table_append_run_commit_ms", "table_snapshot_checkpointed_ms", "table_snapshot_no_checkpoint_ms",
                "table_snapshot_checkpoint_speedup", "table_merge_1pct_s", "table_merge_1pct_files_rewritten_share",
                "table_merge_1pct_spread_s", "table_merge_1pct_spread_files_rewritten_share", "table_full_rewrite_s",
                "table_merge_1pct_speedup"), names);
        assertEquals(21.46, node.get("engine_mb_s").asDouble());
        assertEquals(8.46, node.get("e2e_mb_s").asDouble());
        assertEquals(26.0, node.get("raw_copy_mb_s").asDouble());
        assertEquals(1031.16, node.get("latency_p95_ms").asDouble());
        assertEquals(8.8, node.get("workers2_mb_s").asDouble());
        assertEquals(true, node.get("peak_rss_mb").isNumber());
        assertEquals(88.89, node.get("table_snapshot_checkpointed_ms").asDouble());
        assertEquals(32.37, node.get("table_snapshot_checkpoint_speedup").asDouble());
        assertEquals(0.036, node.get("table_merge_1pct_files_rewritten_share").asDouble());
        assertEquals(1.0, node.get("table_merge_1pct_spread_files_rewritten_share").asDouble());
        assertEquals(21.34, node.get("table_merge_1pct_speedup").asDouble());
    }

    @Test
    void verdictsCompareEachFigureWithItsTarget() {
        List<Targets.Verdict> verdicts = Targets.of(RESULT);
        assertEquals(List.of(false, false, true, true, true, true, false, true, true),
                verdicts.stream().map(Targets.Verdict::met).toList());
        assertEquals("0.65 ×", verdicts.get(0).figure());
        assertEquals("0.33 ×", verdicts.get(1).figure());
        assertEquals("1.60 ×", verdicts.get(5).figure());
        assertEquals("290 MiB", verdicts.get(3).figure());
        assertEquals("626 ms", verdicts.get(4).figure());
        assertEquals(true, verdicts.get(0).line().startsWith("  BELOW TARGET  (a)"));
        assertEquals(true, verdicts.get(2).line().startsWith("  PASS          (c)"));
        assertEquals("212 ms", verdicts.get(6).figure());
        assertEquals("0.036", verdicts.get(7).figure());
        assertEquals("21.3 ×", verdicts.get(8).figure());
        assertEquals(true, verdicts.get(8).line().startsWith("  PASS          (g) full rewrite ≥ 5 × 1 % merge"));
    }

    @Test
    void percentilesTakeTheNearestRank() {
        List<Double> values = new ArrayList<>();
        for (int i = 50; i >= 1; i--) {
            values.add((double) i * 10);
        }
        Percentiles p = new Percentiles(values);
        assertEquals(250, p.at(50));
        assertEquals(480, p.at(95));
        assertEquals(10, p.min());
        assertEquals(500, p.max());
        assertEquals(500, p.at(100));
    }
}
