package io.tributary.definition.read;

/**
 * How large a definition may be, and what its text may hold. A definition needs a few kilobytes and five levels of
 * nesting; these bounds are far above that and far below what could slow the host or the engine, so no file,
 * however malformed, keeps the other pipelines from loading.
 */
public final class DefinitionLimits {

    /** The largest definition file, in bytes (1 MiB). */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** How deep objects and arrays may nest. */
    public static final int MAX_DEPTH = 32;
    /** The longest string value (a name, an expression, a query), in characters (64 Ki). */
    public static final int MAX_STRING_CHARS = 1 << 16;
    /** The longest field name, in characters. */
    public static final int MAX_NAME_CHARS = 1_024;
    /** The most digits a number may be written with. */
    public static final int MAX_NUMBER_DIGITS = 100;
    /** The largest power of ten a number may be written with ({@code 1e400} is out of range). */
    public static final int MAX_EXPONENT = 400;

    /** The longest blob name Azure Storage allows, so the longest landing path that can match a file. */
    public static final int MAX_BLOB_NAME = 1_024;

    private DefinitionLimits() {
    }

    /**
     * Where {@code text} holds a character a definition may not: a control character other than tab, line feed and
     * carriage return, or half of a surrogate pair (text that was not valid Unicode); -1 when it holds none.
     *
     * @param allowControl whether control characters other than NUL are allowed (a CSV delimiter such as U+0001)
     */
    public static int forbiddenCharacter(String text, boolean allowControl) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || (!allowControl && isControl(c))) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** How a problem names the forbidden character at {@code at} of {@code text}: {@code the control character U+0000}. */
    public static String describe(String text, int at) {
        char c = text.charAt(at);
        return (Character.isSurrogate(c) ? "an unpaired surrogate " : "the control character ")
                + String.format("U+%04X", (int) c) + " at character " + (at + 1);
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
    }
}
