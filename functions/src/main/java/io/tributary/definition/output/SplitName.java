package io.tributary.definition.output;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The name of a split of a dataset ({@code train}, {@code validation}, {@code test}, or the definition's own), which
 * is also the folder its parts are written to. A definition names its splits; a dataset without a split keeps its
 * parts in {@link #NONE}. Written as its text in manifests, chunk results, blob names and answers.
 *
 * @param text the name, as {@link Split#NAME} allows
 */
public record SplitName(String text) implements Comparable<SplitName> {

    /** The one folder of a dataset that has no split. */
    public static final SplitName NONE = new SplitName("data");

    /** @throws IllegalArgumentException when {@code text} cannot name a split folder, saying what can */
    public SplitName {
        if (text == null || !Split.NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' cannot name a split: use 1 to 63 lower-case letters, "
                    + "digits, '_' and '-', starting with a letter or digit");
        }
    }

    /** The split {@code text} names (JSON reads split names so). */
    @JsonCreator
    public static SplitName parse(String text) {
        return new SplitName(text);
    }

    @JsonValue
    @Override
    public String text() {
        return text;
    }

    @Override
    public int compareTo(SplitName other) {
        return text.compareTo(other.text);
    }

    /** The text, so a split reads the same in blob names, messages and printed tables. */
    @Override
    public String toString() {
        return text;
    }
}
