package io.tributary.run;

import java.util.List;

/**
 * Asks the combine stage to finish key bucket {@code bucket} of a run whose {@code chunks} chunks routed their rows
 * by key into {@code buckets} buckets: the steps from the first that needs every row of a key, the expectations and
 * the split, on the bucket's rows from every chunk.
 *
 * @param references the version of each lookup step's reference, in step order, as the run pinned them
 */
public record CombineMessage(int version, RunId runId, String pipeline, int bucket, int buckets, int chunks,
                             List<BlobRef> references) implements StageMessage {
    public CombineMessage {
        StageMessage.check(version, runId, pipeline);
        references = references == null ? List.of() : List.copyOf(references);
        if (bucket < 0 || bucket >= buckets || chunks < 1) {
            throw new IllegalArgumentException("bucket " + bucket + "/" + buckets + " of " + chunks + " chunks is not "
                    + "a valid key bucket");
        }
    }

    public CombineMessage(RunId runId, String pipeline, int bucket, int buckets, int chunks, List<BlobRef> references) {
        this(VERSION, runId, pipeline, bucket, buckets, chunks, references);
    }
}
