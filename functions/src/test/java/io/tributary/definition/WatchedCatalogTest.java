package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedCatalogTest {

    private static String definition(String name, String type) {
        return "{\"schemaVersion\": 1, \"name\": \"" + name + "\", \"source\": {\"format\": \"csv\"}, "
                + "\"columns\": [{\"name\": \"id\", \"type\": \"" + type + "\"}]}";
    }

    @Test
    void readsTheFolderAgainWhenADefinitionChanges(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("a.json"), definition("a", "int"));
        WatchedCatalog catalog = new WatchedCatalog(folder, DefinitionCheck.NONE, DefinitionAccess.DEFAULT);
        PipelineCatalog first = catalog.get();
        assertEquals("int", first.get("a").columns().get(0).type().name());
        assertEquals(first, catalog.get(), "an unchanged folder is not read again");

        Files.writeString(folder.resolve("a.json"), definition("a", "long"));
        Files.writeString(folder.resolve("b.json"), definition("b", "string"));

        assertEquals("long", catalog.get().get("a").columns().get(0).type().name());
        assertEquals(List.of("a", "b"), catalog.get().all().stream().map(PipelineDefinition::name).toList());
    }
}
