package io.tributary.run;

import java.util.Objects;

/** Asks the extract stage to plan a run over its source. */
public record ExtractMessage(int version, String runId, String pipeline, BlobRef source) implements StageMessage {
    public ExtractMessage {
        StageMessage.check(version, runId, pipeline);
        Objects.requireNonNull(source, "source");
    }

    public ExtractMessage(String runId, String pipeline, BlobRef source) {
        this(VERSION, runId, pipeline, source);
    }
}
