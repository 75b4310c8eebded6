package io.tributary.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Where the app works on a run: the four stages of the chain ({@link #CHAIN}), each a queue-triggered function, and
 * before them the two that start runs on their own trigger, the file drop (a blob) and the schedule (a timer), as
 * {@code start/FileDropStage} and {@code start/ScheduleStage}. The text is the function's name, and what stage
 * reports, outcomes, hand-off blobs, the stage table, log lines, alerts, the API and the command line show.
 *
 * <p>Only the chain's stages report, fail a run and are handed a run; the starting ones are named where the app says
 * where something happened (the log lines of a drop or a tick, an alert about a poisoned blob trigger). The stages
 * are declared in the order a run meets them, so they compare (and sort) in that order.
 */
public enum Stage implements WireText {
    FILE_DROP("fileDrop", null),
    SCHEDULE("schedule", null),
    EXTRACT("extract", RunLayout.EXTRACT_QUEUE),
    JOB("job", RunLayout.JOB_QUEUE),
    TRANSFORM("transform", RunLayout.TRANSFORM_QUEUE),
    COMBINE("combine", RunLayout.COMBINE_QUEUE),
    STORE("store", RunLayout.STORE_QUEUE);

    /**
     * The stages a run passes, in order: extract, job (when the transform is a job; the jobs after the commit report
     * here too), transform, combine (when rows are routed by key), store.
     */
    public static final List<Stage> CHAIN = List.of(EXTRACT, JOB, TRANSFORM, COMBINE, STORE);

    private final String text;
    private final String queue;

    Stage(String text, String queue) {
        this.text = text;
        this.queue = queue;
    }

    /**
     * The stage {@code text} names.
     *
     * @throws IllegalArgumentException when it names none; the message lists those there are
     */
    @JsonCreator
    public static Stage parse(String text) {
        return WireText.parse(Stage.class, text, "a stage");
    }

    /** Every stage's text, in order: {@code fileDrop, schedule, extract, job, transform, combine, store}. */
    public static List<String> texts() {
        return WireText.texts(Stage.class);
    }

    /**
     * The queue whose messages trigger this stage of the chain ({@link RunLayout}'s {@code pipeline-{stage}}).
     *
     * @throws IllegalStateException for a stage that starts runs, which no queue triggers
     */
    public String queue() {
        if (queue == null) {
            throw new IllegalStateException(text + " starts runs; no queue triggers it");
        }
        return queue;
    }

    /** The stage's text, which is also its JSON form and its function's name. */
    @Override
    @JsonValue
    public String text() {
        return text;
    }

    /** The text, so a stage reads the same in messages, log lines and printed tables. */
    @Override
    public String toString() {
        return text;
    }
}
