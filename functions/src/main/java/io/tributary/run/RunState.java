package io.tributary.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Where a run stands: {@code running} until its outcome is written, then {@code committed} or {@code failed}. The
 * text is what {@code outcome.json}, the run history table's {@code Status}, the API and the command line show.
 */
public enum RunState implements WireText {
    RUNNING("running"),
    COMMITTED("committed"),
    FAILED("failed");

    private final String text;

    RunState(String text) {
        this.text = text;
    }

    /**
     * The state {@code text} names.
     *
     * @throws IllegalArgumentException when it names none; the message lists those there are
     */
    @JsonCreator
    public static RunState parse(String text) {
        return WireText.parse(RunState.class, text, "a run state");
    }

    /** Every state's text, in order: {@code running, committed, failed}. */
    public static List<String> texts() {
        return WireText.texts(RunState.class);
    }

    /** The state's text, which is also its JSON form. */
    @Override
    @JsonValue
    public String text() {
        return text;
    }

    /** The text, so a state reads the same in messages and printed tables. */
    @Override
    public String toString() {
        return text;
    }
}
