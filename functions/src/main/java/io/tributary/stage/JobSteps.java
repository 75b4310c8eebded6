package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.job.Job;
import io.tributary.run.RunId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** A definition's job steps: finding one by name, where it reports, its key and how messages name it. */
public final class JobSteps {

    private static final int MAX_KEY = 64;

    private JobSteps() {
    }

    /** The job step {@code step} names: the transform job, or an onCommit job. */
    public static Optional<Job> find(PipelineDefinition definition, String step) {
        if (step.equals(Job.TRANSFORM)) {
            return definition.job();
        }
        return definition.onCommit().stream().filter(j -> j.name().equals(step)).findFirst();
    }

    /** Where the step reports among the run's stages ({@code job} reports): 0 the transform, 1 + an onCommit's place. */
    public static int index(PipelineDefinition definition, Job job) {
        return job.isTransform() ? 0 : 1 + definition.onCommit().indexOf(job);
    }

    /**
     * The key of one attempt of one step of a run, the same on every delivery: {@code t-{runId}-{step}-{attempt}} in
     * lower case, at most 64 characters (a long step name is replaced by its hash).
     */
    public static String key(RunId runId, String step, int attempt) {
        String key = ("t-" + runId + "-" + step + "-" + attempt).toLowerCase(Locale.ROOT);
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(step.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
            return ("t-" + runId + "-" + hash + "-" + attempt).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How messages name the step: {@code the transform job}, {@code job 'train'}. */
    static String label(Job job) {
        return job.isTransform() ? "the transform job" : "job '" + job.name() + "'";
    }

    static String duration(Duration duration) {
        return io.tributary.definition.output.RetentionText.text(duration);
    }
}
