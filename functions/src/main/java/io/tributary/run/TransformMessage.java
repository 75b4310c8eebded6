package io.tributary.run;

import java.util.List;
import java.util.Objects;

/**
 * Asks the transform stage to process one chunk: the bytes {@code [offset, offset + length)} of one
 * version of the source blob, read after its bytes {@code [0, header)} (a CSV's header line, for every chunk but
 * the first).
 *
 * @param references the version of each lookup step's reference, in step order, pinned when the run was
 *                   planned so every chunk joins the same rows
 * @param lineOffset what to add to a line number in the chunk as read to get the line in the source
 * @param buckets    0 when the chunk's rows go straight into the dataset; else the number of key buckets the run
 *                   routes its rows into, so that the steps which need every row of a key see them together
 */
public record TransformMessage(int version, RunId runId, String pipeline, BlobRef source, int chunk, int chunks,
                               long offset, long length, List<BlobRef> references, long header, long lineOffset,
                               int buckets) implements StageMessage {
    public TransformMessage {
        StageMessage.check(version, runId, pipeline);
        Objects.requireNonNull(source, "source");
        references = references == null ? List.of() : List.copyOf(references);
        if (chunk < 0 || chunk >= chunks || offset < 0 || length < 0 || header < 0 || header > offset) {
            throw new IllegalArgumentException("chunk " + chunk + "/" + chunks + " [" + offset + "+" + length
                    + ") after a header of " + header + " bytes is not a valid chunk");
        }
        if (buckets < 0) {
            throw new IllegalArgumentException("a run routes its rows into 0 or more key buckets, not " + buckets);
        }
    }

    /** A chunk read without a header, whose rows go straight into the dataset. */
    public TransformMessage(RunId runId, String pipeline, BlobRef source, int chunk, int chunks, long offset,
                            long length, List<BlobRef> references) {
        this(VERSION, runId, pipeline, source, chunk, chunks, offset, length, references, 0, 0, 0);
    }
}
