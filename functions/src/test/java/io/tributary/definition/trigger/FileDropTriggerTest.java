package io.tributary.definition.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trigger paths: globs, {name} captures within one folder, suffix filters. */
class FileDropTriggerTest {

    @Test
    void capturesTakeTheirValuesFromOneFolderOfTheName() {
        FileDropTrigger trigger = new FileDropTrigger("crm/{tenant}/contacts-{date}.csv");
        assertEquals(Optional.of(Map.of("tenant", "acme", "date", "2026-11-22")),
                trigger.match("crm/acme/contacts-2026-11-22.csv"));
        assertEquals(List.of("tenant", "date"), trigger.captureNames());
        assertEquals(Optional.empty(), trigger.match("crm/acme/eu/contacts-2026-11-22.csv"), "a capture spans no '/'");
        assertEquals(Optional.empty(), trigger.match("crm//contacts-2026-11-22.csv"), "a capture is not empty");
        assertEquals(Optional.empty(), trigger.match("crm/acme/contacts-2026-11-22.json"));
    }

    @Test
    void capturesMixWithGlobs() {
        FileDropTrigger trigger = new FileDropTrigger("gateways/**/{device}-????.csv");
        assertEquals(Optional.of(Map.of("device", "fridge-7")), trigger.match("gateways/eu/lyon/fridge-7-2026.csv"));
        assertEquals(Optional.of(Map.of()), new FileDropTrigger("orders/*.csv").match("orders/a.csv"));
    }

    @Test
    void suffixesFilterTheNameCaseInsensitively() {
        FileDropTrigger trigger = new FileDropTrigger("erp/**", List.of(".csv", ".csv.gz"), "ignore", "leave");
        assertTrue(trigger.matches("erp/stock/2026/stock.csv"));
        assertTrue(trigger.matches("erp/stock.CSV.GZ"));
        assertFalse(trigger.matches("erp/stock.xlsx"));
        assertFalse(trigger.matches("erp/stock.csv.tmp"));
    }

    @Test
    void malformedPatternsSayWhatIsWrong() {
        assertEquals("the '{' at position 5 is not closed; write a capture as {name}, e.g. \"crm/{tenant}/*.csv\"",
                assertThrows(IllegalArgumentException.class, () -> FileDropTrigger.compile("crm/{tenant")).getMessage());
        assertEquals("'{}' is not a capture: name it with letters, digits and '_', starting with a letter, e.g. "
                + "{tenant}", assertThrows(IllegalArgumentException.class, () -> FileDropTrigger.compile("a/{}.csv"))
                .getMessage());
        assertEquals("the '}' at position 2 closes no capture",
                assertThrows(IllegalArgumentException.class, () -> FileDropTrigger.compile("a}")).getMessage());
    }

    @Test
    void theReaderKeepsTheTriggerOptions() {
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"}, "columns": [{"name": "a", "type": "long"}],
                 "trigger": {"type": "fileDrop", "path": "in/{day}.csv", "suffixes": [".csv"], "emptyFiles": "run",
                             "afterCommit": "delete"}}""", null).definition().orElseThrow();
        assertEquals(new FileDropTrigger("in/{day}.csv", List.of(".csv"), "run", "delete"),
                definition.fileDrop().orElseThrow());
        PipelineDefinition defaults = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"}, "columns": [{"name": "a", "type": "long"}],
                 "trigger": {"type": "fileDrop", "path": "in/*.csv"}}""", null).definition().orElseThrow();
        assertEquals(new FileDropTrigger("in/*.csv", List.of(), "ignore", "leave"), defaults.fileDrop().orElseThrow());
    }
}
