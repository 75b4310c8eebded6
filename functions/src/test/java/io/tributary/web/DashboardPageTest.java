package io.tributary.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.PrintableText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardPageTest {

    private final String html = new String(DashboardPage.html(), StandardCharsets.UTF_8);

    @Test
    void thePageCarriesItsStylesheetAndScript() {
        assertFalse(html.contains("/* app.css */") || html.contains("/* app.js */"), "placeholders left in the page");
        assertTrue(html.contains(".funnel-bar {"), "the stylesheet is in the page");
        assertTrue(html.contains("function drawLineage("), "the script is in the page");
    }

    @Test
    void thePageLoadsNothingFromElsewhere() {
        assertFalse(Pattern.compile("<script[^>]+src=|<link[^>]+href=|@import|url\\((?!#)").matcher(html).find(),
                "the page must not load assets: it ships whole, for offline use");
        assertFalse(Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg)").matcher(html).find(),
                "the page names no host but its own (the SVG namespace aside)");
    }

    @Test
    void thePageWritesTextNeverMarkupAndEscapesTheCharactersTheCommandLineEscapes() {
        assertFalse(Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write").matcher(html).find(),
                "text from the API is set as text, never parsed as markup");
        Matcher printable = Pattern.compile("const UNPRINTABLE = /(\\[[^\\]]+\\])/g;").matcher(html);
        assertTrue(printable.find(), "the script names the characters it escapes");
        Pattern unprintable = Pattern.compile(printable.group(1));
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String text = String.valueOf(c);
            assertEquals(!PrintableText.escape(text).equals(text), unprintable.matcher(text).matches(),
                    "U+" + Integer.toHexString(c));
        }
        for (String drawn : List.of("e.message", "run.runId", "\"Failed\"", "String(c)", "answer.runId")) {
            assertTrue(html.contains("printable(" + drawn), drawn + " is drawn through printable()");
        }
    }
}
