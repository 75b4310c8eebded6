package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PrintableTextTest {

    @Test
    void controlCharactersAreWrittenAsEscapes() {
        assertEquals("\\u001b[31mred\\u0007 \\r\\n\\tnext \\u007f\\u009b", PrintableText.escape(
                "\u001b[31mred\u0007 \r\n\tnext \u007f\u009b"));
    }

    @Test
    void separatorsAndBidiControlsAreWrittenAsEscapes() {
        assertEquals("a\\u2028b\\u2029c \\u202eevil\\u202c \\u2066x\\u2069 \\u200f",
                PrintableText.escape("a\u2028b\u2029c \u202eevil\u202c \u2066x\u2069 \u200f"));
    }

    @Test
    void printableTextIsKeptAsItIs() {
        String text = "Straße, 東京, naïve \\n (a backslash and an n), emoji 🙂";
        assertEquals(text, PrintableText.escape(text));
        assertNull(PrintableText.escape(null));
    }
}
