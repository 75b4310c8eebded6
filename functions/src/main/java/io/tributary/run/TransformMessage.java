package io.tributary.run;

import java.util.List;
import java.util.Objects;

/**
 * Asks the transform stage to process one chunk: the bytes {@code [offset, offset + length)} of one
 * version of the source blob.
 *
 * @param references the version of each lookup step's reference, in step order, pinned when the run was
 *                   planned so every chunk joins the same rows
 */
public record TransformMessage(int version, String runId, String pipeline, BlobRef source, int chunk, int chunks,
                               long offset, long length, List<BlobRef> references) implements StageMessage {
    public TransformMessage {
        StageMessage.check(version, runId, pipeline);
        Objects.requireNonNull(source, "source");
        references = references == null ? List.of() : List.copyOf(references);
        if (chunk < 0 || chunk >= chunks || offset < 0 || length < 0) {
            throw new IllegalArgumentException("chunk " + chunk + "/" + chunks + " [" + offset + "+" + length
                    + ") is not a valid chunk");
        }
    }

    public TransformMessage(String runId, String pipeline, BlobRef source, int chunk, int chunks, long offset,
                            long length, List<BlobRef> references) {
        this(VERSION, runId, pipeline, source, chunk, chunks, offset, length, references);
    }
}
