package io.tributary.definition.trigger;

import io.tributary.definition.output.SplitName;
import java.util.List;

/**
 * Starts a run when another pipeline commits a dataset: the run reads that dataset's Parquet parts (one chunk per
 * part file) and names the upstream run as its parent, so lineage spans both pipelines.
 *
 * @param pipeline the upstream pipeline whose commits start runs
 * @param splits   the upstream splits the run reads ({@code train}, …), or empty for all of them
 */
public record DatasetTrigger(String pipeline, List<SplitName> splits) {

    public DatasetTrigger {
        splits = List.copyOf(splits);
    }

    /** Whether a run reads the upstream's parts of {@code split}. */
    public boolean reads(SplitName split) {
        return splits.isEmpty() || splits.contains(split);
    }
}
