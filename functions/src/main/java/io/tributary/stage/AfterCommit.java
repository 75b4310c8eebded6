package io.tributary.stage;

import io.tributary.definition.trigger.FileDropTrigger;
import io.tributary.port.BlobStore;
import io.tributary.port.SourceChangedException;
import io.tributary.run.AfterCommitReport;
import io.tributary.run.BlobRef;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Does what a pipeline's {@code trigger.afterCommit} asks with the file that started a committed run: leaves it,
 * archives it (copied to the {@code archive} container under the same name, then deleted) or deletes it — only
 * the version the run read: a file overwritten since is a new drop and stays. Safe to repeat (a retried store does
 * it again: a file already moved is not there to move). A file that other pipelines read too is left for them. It
 * never undoes the commit: a failure is recorded in
 * {@code tributary-runs/{runId}/after-commit.json} and logged, and the file stays where it was.
 */
final class AfterCommit {

    private static final Logger LOG = io.tributary.run.LogContext.logger(AfterCommit.class);

    private final RunStore runs;
    private final Clock clock;
    private final Function<String, List<String>> readers;

    /** @param readers the pipelines whose trigger path matches a landed file's name */
    AfterCommit(RunStore runs, Clock clock, Function<String, List<String>> readers) {
        this.runs = runs;
        this.clock = clock;
        this.readers = readers;
    }

    /** Applies {@code trigger}'s afterCommit to the file that started {@code record}'s run, if a drop started it. */
    void apply(RunRecord record, Optional<FileDropTrigger> trigger) {
        String action = trigger.map(FileDropTrigger::afterCommit).orElse("leave");
        BlobRef source = record.source();
        if (action.equals("leave") || !record.trigger().equals("fileDrop") || source == null
                || !source.container().equals(RunLayout.LANDING)) {
            return;
        }
        List<String> others = readers.apply(source.name()).stream().filter(p -> !p.equals(record.pipeline())).toList();
        AfterCommitReport report;
        try {
            report = !others.isEmpty() ? new AfterCommitReport(action, "skipped", "pipeline" + (others.size() == 1
                    ? " " : "s ") + String.join(", ", others) + " also read" + (others.size() == 1 ? "s" : "")
                    + " this file, so it stays in " + RunLayout.LANDING + " for " + (others.size() == 1 ? "its" : "their")
                    + " runs; a file is moved or deleted only when one pipeline reads it", clock.instant())
                    : action.equals("archive") ? archive(source) : delete(source);
        } catch (RuntimeException e) {
            LOG.warning("run " + record.runId() + " committed, but its file " + source + " could not be " + action
                    + "d: " + Failures.describe(e));
            report = new AfterCommitReport(action, "failed", Failures.describe(e) + "; the file stays in "
                    + RunLayout.LANDING + " and the commit stands", clock.instant());
        }
        try {
            runs.blobs().put(RunLayout.RUNS, RunLayout.afterCommit(record.runId()), Json.bytes(report));
        } catch (RuntimeException e) {
            LOG.warning("run " + record.runId() + ": cannot record what became of its file (" + report + "): "
                    + Failures.describe(e));
        }
    }

    private AfterCommitReport archive(BlobRef source) {
        BlobStore blobs = runs.blobs();
        String to = RunLayout.ARCHIVE + "/" + source.name();
        if (!sameVersion(source)) {
            return blobs.properties(RunLayout.ARCHIVE, source.name()).isPresent() && blobs.properties(
                    RunLayout.LANDING, source.name()).isEmpty()
                    ? new AfterCommitReport("archive", "archived", "moved to " + to, clock.instant())
                    : skipped("archive", source);
        }
        try {
            blobs.copy(source, RunLayout.ARCHIVE, source.name());
        } catch (SourceChangedException e) {
            return skipped("archive", source);
        }
        if (!blobs.deleteIfMatch(source)) {
            return skipped("archive", source);
        }
        return new AfterCommitReport("archive", "archived", "moved to " + to, clock.instant());
    }

    private AfterCommitReport delete(BlobRef source) {
        if (runs.blobs().deleteIfMatch(source)) {
            return new AfterCommitReport("delete", "deleted", "deleted " + source.container() + "/" + source.name(),
                    clock.instant());
        }
        return runs.blobs().properties(source.container(), source.name()).isEmpty()
                ? new AfterCommitReport("delete", "deleted", "already gone", clock.instant())
                : skipped("delete", source);
    }

    private boolean sameVersion(BlobRef source) {
        return runs.blobs().properties(source.container(), source.name())
                .filter(info -> info.etag().equals(source.etag())).isPresent();
    }

    private AfterCommitReport skipped(String action, BlobRef source) {
        return new AfterCommitReport(action, "skipped", source.container() + "/" + source.name() + " was overwritten "
                + "or removed after the run read it, so it was left as it is", clock.instant());
    }
}
