package io.tributary.run;

import java.util.List;

/**
 * The chunks extract planned for a run, one transform message each; written once (create-only) before the messages
 * are sent, so that every delivery of extract and every rerun hands transform the same chunks, with the same pinned
 * lookup reference versions.
 */
public record RunPlan(List<TransformMessage> chunks) {

    public RunPlan {
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one chunk");
        }
    }
}
