package io.tributary.stage;

import io.tributary.definition.Ncrontab;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts the runs of scheduled pipelines whose schedule had an occurrence in a window of time. The
 * run id comes from (pipeline, occurrence), so two timers covering the same window start each run once.
 */
public final class ScheduleStage {

    private final Supplier<PipelineCatalog> catalog;
    private final RunStarter starter;
    private final BlobStore blobs;

    /** @param catalog the current definitions, asked afresh for every drop or tick */
    public ScheduleStage(Supplier<PipelineCatalog> catalog, RunStarter starter, BlobStore blobs) {
        this.catalog = catalog;
        this.starter = starter;
        this.blobs = blobs;
    }

    /** What a tick did, one line per pipeline that was due. */
    public record Tick(List<RunStarter.Started> runs, List<String> notes) {
    }

    /**
     * Starts, for each scheduled pipeline, the run of its latest occurrence in {@code (from, to]}.
     * Earlier missed occurrences in the window are not replayed.
     */
    public Tick fire(Instant from, Instant to) {
        List<RunStarter.Started> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog.get().all()) {
            if (pipeline.schedule().isEmpty()) {
                continue;
            }
            Optional<Instant> due = latestOccurrence(Ncrontab.parse(pipeline.schedule().get().cron()), from, to);
            if (due.isEmpty()) {
                continue;
            }
            try {
                String[] blob = pipeline.sourceBlob().orElseThrow().split("/", 2);
                Optional<BlobInfo> info = blobs.properties(blob[0], blob[1]);
                if (info.isEmpty()) {
                    notes.add(pipeline.name() + ": due at " + due.get() + " but its source " + blob[0] + "/" + blob[1]
                            + " does not exist; nothing started");
                    continue;
                }
                BlobRef source = new BlobRef(blob[0], blob[1], info.get().etag());
                runs.add(starter.start(pipeline, RunId.forSchedule(pipeline.name(), due.get()), source, "schedule", Map.of()));
            } catch (RuntimeException e) {
                // One pipeline's trouble must not keep the others from starting.
                notes.add(pipeline.name() + ": due at " + due.get() + " but could not start: " + Failures.describe(e));
            }
        }
        return new Tick(runs, notes);
    }

    static Optional<Instant> latestOccurrence(Ncrontab cron, Instant from, Instant to) {
        Optional<Instant> latest = Optional.empty();
        ZonedDateTime cursor = from.atZone(ZoneOffset.UTC);
        while (true) {
            Optional<ZonedDateTime> next = cron.next(cursor);
            if (next.isEmpty() || next.get().toInstant().isAfter(to)) {
                return latest;
            }
            latest = Optional.of(next.get().toInstant());
            cursor = next.get();
        }
    }
}
