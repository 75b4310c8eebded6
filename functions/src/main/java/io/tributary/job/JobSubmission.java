package io.tributary.job;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One job to submit, once: what runs, and the key that makes a second submit of it find the first instead of
 * starting another.
 *
 * @param key     names this attempt of this step of this run, the same on every delivery: lower-case letters,
 *                digits and {@code -}, at most 64 characters (Databricks' idempotency token, an Azure ML job name,
 *                a Synapse tag's value)
 * @param name    the job's display name, for people: {@code tributary orders/{runId} transform}
 * @param work    what runs, with the run's values already in place of its {@code ${…}} placeholders
 * @param tags    recorded with the job where the compute keeps tags: the pipeline, the run, the step
 * @param timeout how long the job may run before Tributary cancels it; also given to the compute where it has one
 */
public record JobSubmission(String key, String name, JobWork work, Map<String, String> tags, Duration timeout) {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public JobSubmission {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a job key is 1 to 64 lower-case letters, digits and '-', not '" + key
                    + "'");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(work, "work");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        Objects.requireNonNull(timeout, "timeout");
    }
}
