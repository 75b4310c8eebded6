package io.tributary.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokenDefinitionTest {

    @Test
    void aFileThatDidNotLoadIsBrokenWithItsProblemsAndTheLandingPathItsJsonNames(@TempDir Path defs) throws Exception {
        Files.writeString(defs.resolve("good.json"), """
                {"schemaVersion": 1, "name": "good", "trigger": {"type": "fileDrop", "path": "good/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""");
        Files.writeString(defs.resolve("typed.json"), """
                {"schemaVersion": 1, "name": "typed", "trigger": {"type": "fileDrop", "path": "in/typed-*.csv"},
                 "source": {"format": "csv", "header": "yes"}, "columns": [{"name": "id", "type": "lnog"}]}""");
        Files.writeString(defs.resolve("torn.json"), "{\"schemaVersion\": 1, \"name\": \"torn\",");

        List<BrokenDefinition> broken = BrokenDefinition.of(PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.DEFAULT));

        assertEquals(List.of("torn", "typed"), broken.stream().map(BrokenDefinition::pipeline).toList());
        BrokenDefinition typed = broken.get(1);
        assertEquals(Optional.of("in/typed-*.csv"), typed.landingPath());
        assertEquals(2, typed.problems().size(), typed.problems().toString());
        assertEquals(defs.resolve("typed.json") + ":2:40: /source/header", typed.firstProblem().substring(0,
                typed.firstProblem().indexOf(": expected")));
        assertTrue(typed.wouldTake("in/typed-2026.csv"));
        assertFalse(typed.wouldTake("typed/x.csv"), "its path, not its name's folder");
        BrokenDefinition torn = broken.get(0);
        assertEquals(Optional.empty(), torn.landingPath());
        assertTrue(torn.wouldTake("torn/x.csv"), "no path to read: the folder named after it");
        assertFalse(torn.wouldTake("good/x.csv"));
        assertTrue(typed.dropRefusal("landing/in/typed-1.csv").startsWith("landing/in/typed-1.csv is meant for pipeline "
                + "'typed', whose definition " + defs.resolve("typed.json") + " is broken and was not loaded, so no run "
                + "starts: " + typed.firstProblem() + " (and 1 more; 'tributary validate' lists them)."),
                typed.dropRefusal("landing/in/typed-1.csv"));
    }
}
