package io.tributary.definition.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitNameTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNameReadsBackAsItsTextInJsonAsAValueAndAsAMapKey() throws Exception {
        SplitName train = SplitName.parse("train");
        assertEquals("train", train.toString());
        assertEquals("\"train\"", JSON.writeValueAsString(train));
        assertEquals(train, JSON.readValue("\"train\"", SplitName.class));
        Map<SplitName, Long> rows = new LinkedHashMap<>();
        rows.put(train, 8L);
        rows.put(SplitName.NONE, 2L);
        String text = JSON.writeValueAsString(rows);
        assertEquals("{\"train\":8,\"data\":2}", text);
        assertEquals(rows, JSON.readValue(text, new TypeReference<Map<SplitName, Long>>() { }));
    }

    @Test
    void aTextThatCannotNameAFolderIsRefusedSayingWhatCan() {
        for (String bad : List.of("", "Train", "../x", "a b", "-x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SplitName.parse(bad));
            assertEquals("'" + bad + "' cannot name a split: use 1 to 63 lower-case letters, digits, '_' and '-', "
                    + "starting with a letter or digit", e.getMessage());
        }
        Exception e = assertThrows(Exception.class, () -> JSON.readValue("\"Train\"", SplitName.class));
        assertEquals(IllegalArgumentException.class, e.getCause().getClass(), "JSON refuses it for the same reason");
    }

    @Test
    void namesSortByTheirText() {
        assertEquals(List.of("data", "test", "train"), java.util.stream.Stream.of("train", "data", "test")
                .map(SplitName::parse).sorted().map(SplitName::text).toList());
    }
}
