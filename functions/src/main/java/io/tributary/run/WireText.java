package io.tributary.run;

import java.util.Arrays;
import java.util.List;

/**
 * A closed set of values that storage, the API and the command line write as text: each constant's text, and the
 * one way back from a text to its constant.
 */
public interface WireText {

    /** The value's text, which is also its JSON form. */
    String text();

    /**
     * The constant of {@code type} whose text is {@code text}.
     *
     * @param what how to name the set in the error, with its article ("a run state")
     * @throws IllegalArgumentException when {@code text} names none; the message lists those there are
     */
    static <E extends Enum<E> & WireText> E parse(Class<E> type, String text, String what) {
        for (E value : type.getEnumConstants()) {
            if (value.text().equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not " + what + "; one of "
                + String.join(", ", texts(type)));
    }

    /** Every constant's text, in declaration order. */
    static <E extends Enum<E> & WireText> List<String> texts(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireText::text).toList();
    }
}
