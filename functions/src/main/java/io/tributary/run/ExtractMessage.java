package io.tributary.run;

/** Asks the extract stage to plan a run over its source: a blob, or null when extract fetches the source. */
public record ExtractMessage(int version, RunId runId, String pipeline, BlobRef source) implements StageMessage {
    public ExtractMessage {
        StageMessage.check(version, runId, pipeline);
    }

    public ExtractMessage(RunId runId, String pipeline, BlobRef source) {
        this(VERSION, runId, pipeline, source);
    }
}
