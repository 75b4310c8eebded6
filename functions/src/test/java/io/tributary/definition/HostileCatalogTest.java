package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.definition.read.Problem;
import io.tributary.engine.SqlCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One definition holding what no definition may (a NUL in an expression) is reported and skipped; the others load. */
class HostileCatalogTest {

    static String definition(String name, String where) {
        return "{\n  \"schemaVersion\": 1,\n  \"name\": \"" + name + "\",\n"
                + "  \"trigger\": {\"type\": \"fileDrop\", \"path\": \"" + name + "/*.csv\"},\n"
                + "  \"source\": {\"format\": \"csv\"},\n"
                + "  \"columns\": [{\"name\": \"amount\", \"type\": \"int\"}],\n"
                + "  \"steps\": [{\"op\": \"filter\", \"where\": \"" + where + "\"}]\n}\n";
    }

    @Test
    void aNulInAnExpressionIsAProblemAtItsPlaceAndTheOtherPipelinesLoad(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("good.json"), definition("good", "amount > 0"));
        Files.writeString(folder.resolve("broken.json"), definition("broken", "amount \\u0000> 0"));

        WatchedCatalog watched = new WatchedCatalog(folder, new SqlCheck(), DefinitionAccess.DEFAULT);
        PipelineCatalog catalog = watched.get();

        assertEquals(List.of("good"), catalog.all().stream().map(PipelineDefinition::name).toList());
        assertEquals(List.of(folder.resolve("broken.json") + ":7:39: /steps/0/where: the value holds the control "
                + "character U+0000 at character 8 (after \"amount \"); remove it (a definition's text may hold tabs "
                + "and line breaks, no other control characters)"),
                catalog.problems().stream().map(Problem::format).toList());
        assertEquals(List.of("good"), catalog.listeningTo("good/day-1.csv").stream().map(PipelineDefinition::name)
                .toList(), "the good pipeline still takes its drops");
        String refused = assertThrows(IllegalArgumentException.class, () -> catalog.get("broken")).getMessage();
        assertEquals("pipeline 'broken' has 1 problem and was not loaded, first " + catalog.problems().get(0).format()
                + " ('tributary validate' lists them all)", refused);
    }
}
