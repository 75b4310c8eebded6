package io.tributary.stage;

import io.tributary.port.BlobStore;
import io.tributary.run.RunId;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.Watermark;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and moves pipelines' high-water marks ({@link Watermark}) so that a mark moves exactly when its run's
 * manifest is written: {@link #prepare} before the manifest, {@link #settle} after it, and {@link #current} counts a
 * prepared mark only when its manifest exists.
 */
public final class Watermarks {

    private final BlobStore blobs;

    public Watermarks(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The pipeline's mark: that of its newest committed incremental run, if one committed. */
    public Optional<Watermark.Mark> current(String pipeline) {
        Optional<Watermark> state = read(pipeline).map(v -> Json.read(v.content(), Watermark.class));
        if (state.isEmpty()) {
            return Optional.empty();
        }
        Watermark.Pending pending = state.get().pending();
        if (pending != null && blobs.properties(RunLayout.TRAINING, RunLayout.manifest(pipeline, pending.runId()))
                .isPresent()) {
            return Optional.of(new Watermark.Mark(pending.cursor(), pending.value()));
        }
        return state.get().runId() == null ? Optional.empty()
                : Optional.of(new Watermark.Mark(state.get().cursor(), state.get().value()));
    }

    /** Records {@code range}'s mark as run {@code runId}'s, pending until its manifest exists. */
    public void prepare(String pipeline, RunId runId, FetchRecord.WatermarkRange range) {
        update(pipeline, state -> new Watermark(pipeline, state.cursor(), state.value(), state.runId(),
                state.committedAt(), new Watermark.Pending(runId, range.cursor(), range.high())));
    }

    /** Makes run {@code runId}'s mark, whose manifest is written, the committed one. A second call changes nothing. */
    public void settle(String pipeline, RunId runId, FetchRecord.WatermarkRange range, Instant committedAt) {
        update(pipeline, state -> runId.equals(state.runId()) && state.pending() == null ? state
                : new Watermark(pipeline, range.cursor(), range.high(), runId, committedAt,
                        state.pending() != null && !state.pending().runId().equals(runId) ? state.pending() : null));
    }

    private Optional<BlobStore.Versioned> read(String pipeline) {
        return blobs.read(RunLayout.STATE, RunLayout.watermark(pipeline));
    }

    /** Applies {@code change} to the state with a conditional write, again if another writer came first. */
    private void update(String pipeline, UnaryOperator<Watermark> change) {
        while (true) {
            Optional<BlobStore.Versioned> current = read(pipeline);
            Watermark state = current.map(v -> Json.read(v.content(), Watermark.class))
                    .orElse(new Watermark(pipeline, null, null, null, null, null));
            Watermark next = change.apply(state);
            if (next.equals(state) || blobs.putIfUnchanged(RunLayout.STATE, RunLayout.watermark(pipeline),
                    Json.bytes(next), current.map(BlobStore.Versioned::etag).orElse(null))) {
                return;
            }
        }
    }
}
