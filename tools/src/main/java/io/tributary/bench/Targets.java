package io.tributary.bench;

import java.util.List;

/** The targets the bench's figures are held to; it reports each verdict and fails on none. */
final class Targets {

    static final double ENGINE_VS_DUCKDB = 0.8;
    static final double E2E_VS_RAW_COPY = 0.7;
    static final double HEAP_MB = 256;
    static final double RSS_MB = 1024;
    static final double LATENCY_P50_MS = 1000;
    static final double WORKERS_SPEEDUP = 1.6;
    static final double APPEND_COMMIT_MS = 200;
    static final double MERGE_FILES_SHARE = 0.1;
    static final double MERGE_SPEEDUP = 5;

    /** One target: what it asks, the figure, and whether it is met. */
    record Verdict(String target, String figure, boolean met) {
        String line() {
            return String.format("  %-13s %-52s %s", met ? "PASS" : "BELOW TARGET", target, figure);
        }
    }

    private Targets() {
    }

    static List<Verdict> of(BenchResult r) {
        double engine = r.engineMbS() / r.duckdbMbS();
        double e2e = r.e2eMbS() / r.rawCopyMbS();
        double workers = r.workers2MbS() / r.workers1MbS();
        TableFigures t = r.table();
        return List.of(
                new Verdict("(a) engine ≥ 0.8 × hand-written DuckDB", String.format("%.2f ×", engine),
                        engine >= ENGINE_VS_DUCKDB),
                new Verdict("(b) drop-to-commit ≥ 0.7 × raw copy", String.format("%.2f ×", e2e), e2e >= E2E_VS_RAW_COPY),
                new Verdict("(c) host peak heap ≤ 256 MiB", String.format("%.0f MiB", r.peakHeapMb()),
                        r.peakHeapMb() <= HEAP_MB),
                new Verdict("(c) host peak RSS ≤ 1 GiB", String.format("%.0f MiB", r.peakRssMb()), r.peakRssMb() <= RSS_MB),
                new Verdict("(d) drop-to-commit p50 ≤ 1 s", String.format("%.0f ms", r.latencyP50Ms()),
                        r.latencyP50Ms() <= LATENCY_P50_MS),
                new Verdict("(e) 2 workers ≥ 1.6 × 1 worker", String.format("%.2f ×", workers),
                        workers >= WORKERS_SPEEDUP),
                new Verdict("(f) table append commit < 200 ms", String.format("%.0f ms", t.appendCommitMs()),
                        t.appendCommitMs() < APPEND_COMMIT_MS),
                new Verdict("(g) 1 % merge, clustered: rewrites ≤ 0.1 of files",
                        String.format("%.3f", t.merge1pctFilesRewrittenShare()),
                        t.merge1pctFilesRewrittenShare() <= MERGE_FILES_SHARE),
                new Verdict("(g) full rewrite ≥ 5 × 1 % merge, clustered", String.format("%.1f ×",
                        t.mergeSpeedup()), t.mergeSpeedup() >= MERGE_SPEEDUP));
    }
}
