package io.tributary.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class BlobPathTest {

    @Test
    void bindsPlaceholdersOfTheTriggerPath() {
        List<String> names = new ArrayList<>();
        Matcher m = BlobListener.compile("{folder}/{name}.csv", names).matcher("orders/2026/export.csv");
        assertEquals(true, m.matches());
        assertEquals(List.of("folder", "name"), names);
        assertEquals("orders", m.group(1));
        assertEquals("2026/export", m.group(2));
    }

    @Test
    void aSinglePlaceholderTakesTheWholeName() {
        List<String> names = new ArrayList<>();
        Matcher m = BlobListener.compile("{name}", names).matcher("orders/export.csv");
        assertEquals(true, m.matches());
        assertEquals("orders/export.csv", m.group(1));
        assertFalse(BlobListener.compile("in/{name}", new ArrayList<>()).matcher("out/x").matches());
    }
}
