package io.tributary.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something about a run that people should hear of at once, posted to the alert webhook.
 *
 * @param kind     {@link #RUN_FAILED}, {@link #POISON_MESSAGE} or {@link #REJECTS_OVER_THRESHOLD}; one alert per run
 *                 and kind is sent
 * @param pipeline the run's pipeline; null when not known (a poisoned file drop no pipeline listens to)
 * @param runId    the run; null when there is none (a poisoned file drop started no run)
 * @param stage    the stage it concerns: one of the chain's, or the file drop
 * @param chunk    the chunk (for {@code combine}, the key bucket), or -1
 * @param text     one sentence for people: what happened, where, and what to look at
 * @param at       when it happened
 * @param details  more facts, in order (a poisoned message's queue, message id, blob, ETag, tries); never null
 */
public record Alert(String kind, String pipeline, RunId runId, Stage stage, int chunk, String text, Instant at,
                    Map<String, String> details) {

    public Alert {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public Alert(String kind, String pipeline, RunId runId, Stage stage, int chunk, String text, Instant at) {
        this(kind, pipeline, runId, stage, chunk, text, at, Map.of());
    }

    /** The run failed (any stage, any cause, including too many rejects and a poisoned message). */
    public static final String RUN_FAILED = "runFailed";
    /** A queue message failed its last attempt and went to the poison queue. */
    public static final String POISON_MESSAGE = "poisonMessage";
    /** The run committed with more rejected rows than its pipeline's {@code alerts.rejectedFraction}. */
    public static final String REJECTS_OVER_THRESHOLD = "rejectsOverThreshold";
    /** The run committed, but its table version could not be registered as Azure Machine Learning data assets. */
    public static final String REGISTRATION_FAILED = "registrationFailed";
    /** A job the run started after its commit ({@code onCommit}) failed, was cancelled or ran out of time. */
    public static final String JOB_FAILED = "jobFailed";
}
