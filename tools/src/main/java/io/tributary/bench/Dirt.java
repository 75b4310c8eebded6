package io.tributary.bench;

/** The kinds of dirty row the generators mix in, in equal shares. */
public enum Dirt {
    /** A number column holds text that is no number ({@code n/a}, {@code 12k}): rejected with its line. */
    BAD_NUMBER,
    /** A required (non-nullable) field is empty: rejected. */
    MISSING_REQUIRED,
    /** The row repeats an earlier one (the same key again): removed by the pipeline's dedupe. */
    DUPLICATE,
    /** The row has a field too few or too many: rejected. */
    RAGGED
}
