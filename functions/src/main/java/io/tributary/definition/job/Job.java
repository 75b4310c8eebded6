package io.tributary.definition.job;

import io.tributary.job.JobWork;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A job a pipeline hands to a distributed engine: its pipeline's transform ({@code "job"}), or a step after the commit
 * ({@code "onCommit"}).
 *
 * @param name         the step's name: {@code transform}, or the name an {@code onCommit} job is given
 * @param work         what runs, and on which compute, with the run's placeholders still in place
 * @param timeout      how long the job may run before Tributary cancels it and, for the transform, fails the run
 * @param outputFormat for the transform: the format of the files the job writes under {@code ${output.uri}}
 *                     ({@code parquet}, {@code csv} or {@code jsonl}); null for an {@code onCommit} job
 */
public record Job(String name, JobWork work, Duration timeout, String outputFormat) {

    /** The transform job's name. */
    public static final String TRANSFORM = "transform";
    /** What a job may run for when its definition says nothing. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);
    /** The longest a job may run: a queue message is delayed at most 7 days, and a run waits on its job no longer. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    /** The formats a transform job may write its output in. */
    public static final List<String> OUTPUT_FORMATS = List.of("parquet", "csv", "jsonl");

    public Job {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Whether this is the pipeline's transform (its output goes through the pipeline's checks, split and commit). */
    public boolean isTransform() {
        return outputFormat != null;
    }
}
