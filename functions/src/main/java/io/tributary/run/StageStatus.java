package io.tributary.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * How one stage (or one chunk or key bucket of it) of a run stands: {@code running} from the start of an attempt,
 * then {@code succeeded} or {@code failed}. The text is what the stage reports, the stage table's {@code Status}, the
 * API and the command line show.
 */
public enum StageStatus implements WireText {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String text;

    StageStatus(String text) {
        this.text = text;
    }

    /**
     * The status {@code text} names.
     *
     * @throws IllegalArgumentException when it names none; the message lists those there are
     */
    @JsonCreator
    public static StageStatus parse(String text) {
        return WireText.parse(StageStatus.class, text, "a stage status");
    }

    /** Every status's text, in order: {@code running, succeeded, failed}. */
    public static List<String> texts() {
        return WireText.texts(StageStatus.class);
    }

    /** The status's text, which is also its JSON form. */
    @Override
    @JsonValue
    public String text() {
        return text;
    }

    /** The text, so a status reads the same in messages and printed tables. */
    @Override
    public String toString() {
        return text;
    }
}
