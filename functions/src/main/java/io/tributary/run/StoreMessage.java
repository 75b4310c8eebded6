package io.tributary.run;

/**
 * Asks the store stage to commit a run whose {@code chunks} chunks are all transformed, and, when it routed rows by
 * key, its {@code buckets} key buckets all combined (0 when it did not).
 */
public record StoreMessage(int version, RunId runId, String pipeline, int chunks, int buckets)
        implements StageMessage {
    public StoreMessage {
        StageMessage.check(version, runId, pipeline);
        if (chunks < 1) {
            throw new IllegalArgumentException("a run has at least one chunk, not " + chunks);
        }
        if (buckets < 0) {
            throw new IllegalArgumentException("a run routes rows into 0 or more key buckets, not " + buckets);
        }
    }

    /** A run whose chunks' rows went straight into the dataset. */
    public StoreMessage(RunId runId, String pipeline, int chunks) {
        this(VERSION, runId, pipeline, chunks, 0);
    }
}
