package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One rule for a pipeline's name, wherever one is taken. */
class PipelineNameTest {

    @Test
    void aNameIsOneToSixtyThreeLowerCaseLettersDigitsAndHyphensStartingWithALetterOrDigit() {
        for (String name : List.of("orders", "crm-contacts", "7eleven", "a", "a".repeat(63))) {
            assertTrue(PipelineName.isValid(name), name);
        }
        for (String name : List.of("", "-orders", "Orders", "crm_contacts", "a".repeat(64), "orders\n", "ord ers")) {
            assertFalse(PipelineName.isValid(name), name);
        }
        assertFalse(PipelineName.isValid(null));
    }

    @Test
    void aDefinitionWithABadNameIsToldTheRule() {
        DefinitionResult read = DefinitionReader.read("Orders.json", """
                {"schemaVersion": 1, "name": "Orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""", null);
        assertEquals("'Orders' is not a valid pipeline name: use " + PipelineName.RULE
                + " (it becomes a blob folder and part of run ids)", read.problems().get(0).message());
    }
}
