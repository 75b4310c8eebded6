package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.output.SplitName;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.testing.ParquetRows;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition folders by column values inside each split, and files rolled at a target size. */
class PartitionTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String split, String output) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "region", "type": "string"},
                             {"name": "note", "type": "string"}],
                 %s "output": %s}""".formatted(split, output), null).definition().orElseThrow();
    }

    @Test
    void eachSplitHoldsAFolderPerPartitionValueAndTheColumnStaysInTheFiles() throws Exception {
        Path input = work.resolve("input.csv");
        StringBuilder csv = new StringBuilder("id,region,note\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i % 3 == 0 ? "north" : "south").append(",n").append(i).append('\n');
        }
        Files.writeString(input, csv);
        PipelineDefinition definition = definition("""
                "split": {"keys": ["id"], "seed": 1, "fractions": {"train": 0.5, "test": 0.5}},""",
                "{\"partitionBy\": [\"region\"]}");

        ChunkOutput out = engine.transform(definition, input, work);

        assertEquals(Set.of("train/region=north/", "train/region=south/", "test/region=north/", "test/region=south/"),
                out.parts().stream().map(p -> p.split() + "/" + p.partition()).collect(Collectors.toSet()));
        assertEquals(List.of("train", "train", "test", "test"), out.parts().stream().map(p -> p.split().text())
                .toList());
        assertEquals(200, out.parts().stream().mapToLong(ChunkOutput.Part::rows).sum());
        for (ChunkOutput.Part part : out.parts()) {
            List<Map<String, Object>> rows = ParquetRows.read(part.file());
            assertEquals(List.of("id", "region", "note"), ParquetRows.columns(part.file()));
            String region = part.partition().substring("region=".length(), part.partition().length() - 1);
            assertTrue(rows.stream().allMatch(r -> r.get("region").equals(region)), part + ": " + rows);
            assertEquals(part.rows(), rows.size());
        }
    }

    @Test
    void aFileIsClosedAtTheTargetSizeAndTheNextBegun() throws Exception {
        Path input = work.resolve("input.csv");
        try (BufferedWriter w = Files.newBufferedWriter(input)) {
            w.write("id,region,note\n");
            for (int i = 0; i < 400_000; i++) {
                w.write(i + ",r" + (i % 7) + "," + Integer.toHexString(i * 2654435761L > 0 ? i * 31 : i) + "-" + i + "\n");
            }
        }
        PipelineDefinition definition = definition("", "{\"format\": \"parquet\", \"targetFileSize\": \"1MB\"}");

        ChunkOutput out = engine.transform(definition, input, work);

        assertTrue(out.parts().size() >= 2, "rolled into " + out.parts().size() + " files");
        assertEquals(400_000, out.parts().stream().mapToLong(ChunkOutput.Part::rows).sum());
        assertTrue(out.parts().stream().allMatch(p -> p.split().equals(SplitName.NONE) && p.partition().isEmpty()));
        assertEquals(400_000, out.rowsOut());
    }

    @Test
    void aPartitionColumnTheRowsDoNotHaveFailsTheRunNamingIt() throws Exception {
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "region", "type": "string"}],
                 "steps": [{"op": "sql", "query": "SELECT id FROM input"}],
                 "output": {"partitionBy": ["region"]}}""", null).definition().orElseThrow();
        Path input = work.resolve("input.csv");
        Files.writeString(input, "id,region\n1,north\n");

        TransformFailedException e = org.junit.jupiter.api.Assertions.assertThrows(TransformFailedException.class,
                () -> engine.transform(definition, input, work));
        assertEquals("output.partitionBy names region, which the rows after the last step do not have; they have id",
                e.getMessage());
    }
}
