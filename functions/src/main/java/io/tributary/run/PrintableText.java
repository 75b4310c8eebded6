package io.tributary.run;

/**
 * Text from definitions, blob names, URLs or data, made safe to print on a terminal, in a log line or on the
 * dashboard: a character that would move the cursor, recolour the terminal, end the line (and so forge the next
 * one) or reorder what follows is written as an escape instead. Tab, newline and carriage return read {@code \t},
 * {@code \n}, {@code \r}; a backslash stays as it is; every other control character (C0, DEL, C1), the line and
 * paragraph separators and the bidirectional controls read {@code \}{@code u001b} and the like. Everything else,
 * accented letters and other scripts included, is kept.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /** {@code text} with each unsafe character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = 0;
        while (first < text.length() && !unsafe(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Whether {@code c} is escaped: a control character, a line or paragraph separator, or a bidi control. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u200e' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') || c == '\u061c';
    }
}
