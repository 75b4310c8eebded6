package io.tributary.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
}
