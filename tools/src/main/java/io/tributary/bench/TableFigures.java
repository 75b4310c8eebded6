package io.tributary.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * (f) and (g)'s figures, as {@code --json} prints them: times in milliseconds (commits, reads) or seconds (merges),
 * shares of the table's data files.
 *
 * @param appendCommitMs                      (f) an append's table commit (the latest version read, then the
 *                                            create-only commit) on a table of many versions, median
 * @param appendRunCommitMs                   (f) the whole {@code RunTables.commit} of an append run, checkpoint
 *                                            included when due, median
 * @param snapshotCheckpointedMs              (f) the latest version's file list from the newest checkpoint and the
 *                                            commits after it, median
 * @param snapshotNoCheckpointMs              (f) … from every commit of a log without checkpoints, median
 * @param merge1pctS                          (g) a merge of 1 % of the keys, a contiguous range
 * @param merge1pctFilesRewrittenShare        (g) … the share of the table's data files it rewrote
 * @param merge1pctSpreadS                    (g) a merge of 1 % of the keys drawn at random
 * @param merge1pctSpreadFilesRewrittenShare  (g) … the share of the table's data files it rewrote
 * @param fullRewriteS                        (g) a merge that rewrites every file of the table
 */
public record TableFigures(double appendCommitMs, double appendRunCommitMs, double snapshotCheckpointedMs,
                           double snapshotNoCheckpointMs, double merge1pctS, double merge1pctFilesRewrittenShare,
                           double merge1pctSpreadS, double merge1pctSpreadFilesRewrittenShare, double fullRewriteS) {

    static TableFigures of(TableLogSection.Figures log, TableMergeSection.Figures merge) {
        return new TableFigures(log.appendCommitMs().at(50), log.runCommitMs().at(50), log.checkpointedMs().at(50),
                log.noCheckpointMs().at(50), merge.clustered().seconds(), merge.clustered().share(),
                merge.spread().seconds(), merge.spread().share(), merge.full().seconds());
    }

    /** How many times faster the latest version is read with checkpoints than without. */
    public double snapshotSpeedup() {
        return snapshotNoCheckpointMs / snapshotCheckpointedMs;
    }

    /** How many times faster the merge of 1 % is than the full rewrite. */
    public double mergeSpeedup() {
        return fullRewriteS / merge1pctS;
    }

    /** The fields by their JSON names, in order: times to two decimals, shares to three. */
    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("table_append_commit_ms", BenchResult.round(appendCommitMs, 2));
        fields.put("table_append_run_commit_ms", BenchResult.round(appendRunCommitMs, 2));
        fields.put("table_snapshot_checkpointed_ms", BenchResult.round(snapshotCheckpointedMs, 2));
        fields.put("table_snapshot_no_checkpoint_ms", BenchResult.round(snapshotNoCheckpointMs, 2));
        fields.put("table_snapshot_checkpoint_speedup", BenchResult.round(snapshotSpeedup(), 2));
        fields.put("table_merge_1pct_s", BenchResult.round(merge1pctS, 2));
        fields.put("table_merge_1pct_files_rewritten_share", BenchResult.round(merge1pctFilesRewrittenShare, 3));
        fields.put("table_merge_1pct_spread_s", BenchResult.round(merge1pctSpreadS, 2));
        fields.put("table_merge_1pct_spread_files_rewritten_share",
                BenchResult.round(merge1pctSpreadFilesRewrittenShare, 3));
        fields.put("table_full_rewrite_s", BenchResult.round(fullRewriteS, 2));
        fields.put("table_merge_1pct_speedup", BenchResult.round(mergeSpeedup(), 2));
        return fields;
    }
}
