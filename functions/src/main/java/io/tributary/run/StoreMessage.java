package io.tributary.run;

/** Asks the store stage to commit a run whose {@code chunks} chunks are all transformed. */
public record StoreMessage(int version, String runId, String pipeline, int chunks) implements StageMessage {
    public StoreMessage {
        StageMessage.check(version, runId, pipeline);
        if (chunks < 1) {
            throw new IllegalArgumentException("a run has at least one chunk, not " + chunks);
        }
    }

    public StoreMessage(String runId, String pipeline, int chunks) {
        this(VERSION, runId, pipeline, chunks);
    }
}
