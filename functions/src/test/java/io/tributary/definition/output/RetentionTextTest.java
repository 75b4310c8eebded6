package io.tributary.definition.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A table's retention, written as definitions and {@code tributary vacuum --retain} write it. */
class RetentionTextTest {

    @Test
    void daysHoursAndMinutesReadAndWriteBack() {
        assertEquals(Optional.of(Duration.ofDays(7)), RetentionText.parse("7d"));
        assertEquals(Optional.of(Duration.ofHours(36)), RetentionText.parse(" 36 H "));
        assertEquals(Optional.of(Duration.ofMinutes(90)), RetentionText.parse("90m"));
        assertEquals(Optional.empty(), RetentionText.parse("7 days"));
        assertEquals(Optional.empty(), RetentionText.parse("-1d"));
        assertEquals(List.of("7d", "36h", "90m", "1h"), List.of(RetentionText.text(Duration.ofDays(7)),
                RetentionText.text(Duration.ofHours(36)), RetentionText.text(Duration.ofMinutes(90)),
                RetentionText.text(Duration.ofMinutes(60))));
    }

    private static List<String> problems(String retention) {
        String json = """
                {"schemaVersion": 1, "name": "p", "trigger": {"type": "fileDrop", "path": "p/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}],
                 "output": {"table": {"mode": "append", "retention": "%s"}}}""".formatted(retention);
        return DefinitionReader.read("p.json", json, null).problems().stream()
                .map(p -> p.pointer() + ": " + p.message()).toList();
    }

    @Test
    void aDefinitionsRetentionIsCheckedAsBefore() {
        assertEquals(List.of(), problems("36h"));
        assertEquals(List.of("/output/table/retention: 'a week' is not a duration; write a whole number and d, h or "
                + "m, e.g. \"7d\" or \"36h\""), problems("a week"));
        assertEquals(List.of("/output/table/retention: a retention of 30m could delete a file a reader is still "
                + "reading; give at least 1h (the default is 7d)"), problems("30m"));
        assertEquals(Duration.ofHours(36), DefinitionReader.read("p.json", """
                {"schemaVersion": 1, "name": "p", "trigger": {"type": "fileDrop", "path": "p/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}],
                 "output": {"table": {"retention": "36h"}}}""", null).definition().orElseThrow().output()
                .tableOutput().orElseThrow().retention());
    }
}
