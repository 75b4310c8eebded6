package io.tributary.stage;

import io.tributary.definition.LookupStep;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import io.tributary.run.StageReport;
import io.tributary.run.TransformMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans a run: checks that the source version the run was started for is still there and cuts it
 * into chunks, one transform message each. (The whole source is one chunk for now; chunking at record
 * boundaries comes with fan-out.)
 */
public final class ExtractStage {

    private final RunStore runs;
    private final StageQueue queue;
    private final Clock clock;

    public ExtractStage(RunStore runs, StageQueue queue, Clock clock) {
        this.runs = runs;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Plans the run in {@code message}; does nothing for a run that already ended.
     *
     * @param lastAttempt whether the host will not deliver this message again should this attempt fail
     */
    public void handle(ExtractMessage message, boolean lastAttempt) {
        String runId = message.runId();
        if (runs.outcome(runId).isPresent()) {
            return;
        }
        Instant started = clock.instant();
        StageReport report = StageReport.running("extract", -1, started);
        try {
            runs.report(runId, report);
            Optional<BlobInfo> info = runs.blobs().properties(message.source().container(), message.source().name());
            if (info.isEmpty() || !info.get().etag().equals(message.source().etag())) {
                runs.attemptFailed(runId, report, "the source " + message.source()
                        + (info.isEmpty() ? " was deleted" : " was overwritten") + " before the run read it; a new "
                        + "version of the file starts a run of its own", true, clock.instant());
                return;
            }
            long size = info.get().size();
            List<BlobRef> references = new ArrayList<>();
            for (LookupStep lookup : runs.definition(runId).lookups()) {
                Optional<BlobInfo> reference = runs.blobs().properties(lookup.container(), lookup.blob());
                if (reference.isEmpty()) {
                    runs.attemptFailed(runId, report, "the lookup reference '" + lookup.from() + "' does not exist; "
                            + "upload it (or fix the lookup's \"from\"), then start the run again", true, clock.instant());
                    return;
                }
                references.add(new BlobRef(lookup.container(), lookup.blob(), reference.get().etag()));
            }
            queue.send(RunLayout.TRANSFORM_QUEUE,
                    new TransformMessage(runId, message.pipeline(), message.source(), 0, 1, 0, size, references));
            runs.report(runId, report.succeeded(clock.instant(), 0, 0, 0));
        } catch (RuntimeException e) {
            runs.attemptFailed(runId, report, Failures.describe(e), lastAttempt, clock.instant());
            throw e;
        }
    }
}
