package io.tributary.start;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.trigger.ZonedSchedule;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import java.time.Instant;

/**
 * Starts the run of one occurrence of a pipeline's schedule, by a tick or a backfill alike: its run id is a pure
 * function of (pipeline, occurrence), so the same window is never started twice, whoever asks.
 */
public final class WindowStarter {

    private final RunStarter starter;
    private final BlobStore blobs;

    public WindowStarter(RunStarter starter, BlobStore blobs) {
        this.starter = starter;
        this.blobs = blobs;
    }

    /** The window that ends at {@code occurrence}: it starts at the occurrence before. */
    public static ScheduleWindow windowOf(ZonedSchedule schedule, Instant occurrence) {
        return new ScheduleWindow(schedule.previous(occurrence).orElse(occurrence), occurrence);
    }

    /**
     * Starts (or finds started) the run of the window ending at {@code occurrence}. A run with a {@code source.blob}
     * reads the blob's current version; a fetched source is fetched by extract.
     *
     * @param trigger {@code schedule} or {@code backfill}
     * @throws IllegalStateException when the pipeline's source blob does not exist
     */
    public RunStarter.Started start(PipelineDefinition pipeline, ZonedSchedule schedule, Instant occurrence,
                                    String trigger) {
        RunId runId = RunId.forSchedule(pipeline.name(), occurrence);
        ScheduleWindow window = windowOf(schedule, occurrence);
        return starter.start(pipeline, runId, source(pipeline), trigger, window.parameters());
    }

    /** The current version of the pipeline's source blob, or null for a fetched source. */
    private BlobRef source(PipelineDefinition pipeline) {
        if (pipeline.fetched().isPresent() || pipeline.sourceBlob().isEmpty()) {
            return null;
        }
        String blob = pipeline.sourceBlob().get();
        return blobs.current(blob).orElseThrow(() -> new IllegalStateException("its source " + blob
                + " does not exist; upload it (tributary upload FILE " + blob + ") or fix source.blob"));
    }
}
