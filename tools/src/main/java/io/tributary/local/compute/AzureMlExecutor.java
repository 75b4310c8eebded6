package io.tributary.local.compute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What runs the jobs {@link LocalAzureMl} accepts: called once per job, when its PUT creates it; the {@link Execution}
 * it returns says, each time the job is read, which status ARM shows. The default ({@link #scripted}) plays the
 * statuses a test scripted; the local host can run the job's code on this machine instead ({@link
 * Execution#following}), its outcome becoming the job's last status.
 */
@FunctionalInterface
public interface AzureMlExecutor {

    /** Starts {@code job}, which the workspace has just accepted. */
    Execution start(Job job);

    /**
     * A job the workspace accepted, as its PUT described it.
     *
     * @param name       the job's name
     * @param experiment its experiment
     * @param component  the component it runs (the pipeline's {@code componentId}, or its one node's)
     * @param pipeline   whether {@code component} is the pipeline's own (a pipeline component)
     * @param inputs     the pipeline's inputs by name
     * @param outputs    the pipeline's outputs by name: their type
     * @param compute    the compute's resource id ({@code settings.default_compute}), or null for serverless
     * @param tags       the job's tags
     * @param properties the PUT's {@code properties}, all of them
     */
    record Job(String name, String experiment, String component, boolean pipeline, Map<String, Input> inputs,
               Map<String, String> outputs, String compute, Map<String, String> tags, JsonNode properties) {
        public Job {
            Objects.requireNonNull(name, "name");
            inputs = Map.copyOf(inputs);
            outputs = Map.copyOf(outputs);
            tags = Map.copyOf(tags);
        }
    }

    /**
     * One input of a job.
     *
     * @param type  {@code literal}, {@code uri_folder}, {@code uri_file}, {@code mltable}, …
     * @param value a literal's value, or an asset's URI
     */
    record Input(String type, String value) {
    }

    /** One job as it runs. */
    interface Execution {

        /**
         * The status the job shows now, in ARM's words ({@code NotStarted}, {@code Running}, {@code Completed}, …).
         *
         * @param reads how many times the job has been read (GET) since it was created: 0 for the PUT's own answer
         */
        String status(int reads);

        /** The workspace was asked to cancel the job: it shows {@code CancelRequested}, then {@code Canceled}. */
        void cancel();

        /**
         * An execution that shows {@code statuses} in turn, one further on each read, and stays on the last: the PUT
         * answers the first.
         */
        static Execution script(List<String> statuses) {
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("a script has at least one status");
            }
            List<String> script = List.copyOf(statuses);
            return new Execution() {
                @Override
                public String status(int reads) {
                    return script.get(Math.min(reads, script.size() - 1));
                }

                @Override
                public void cancel() {
                    // a script stops where it is: the workspace shows the cancellation
                }
            };
        }

        /**
         * An execution that follows work run elsewhere (the job's code on this machine): {@code NotStarted} in the
         * PUT's answer, {@code Running} until {@code outcome} completes, then {@code Completed} when it is true,
         * {@code Failed} when it is false or failed. {@code onCancel} is told of a cancellation.
         */
        static Execution following(CompletionStage<Boolean> outcome, Runnable onCancel) {
            AtomicReference<String> last = new AtomicReference<>();
            outcome.whenComplete((succeeded, failure) -> last.set(failure == null && Boolean.TRUE.equals(succeeded)
                    ? "Completed" : "Failed"));
            return new Execution() {
                @Override
                public String status(int reads) {
                    String done = last.get();
                    return done != null ? done : reads == 0 ? "NotStarted" : "Running";
                }

                @Override
                public void cancel() {
                    onCancel.run();
                }
            };
        }
    }

    /** Plays each job's script ({@code scripts} gives it by the job's name), one status further on each read. */
    static AzureMlExecutor scripted(Function<String, List<String>> scripts) {
        return job -> Execution.script(scripts.apply(job.name()));
    }
}
