package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.OutputColumn;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTypesTest {

    @TempDir
    Path work;

    @Test
    void sumsOfWholeNumbersAreWrittenAsSixtyFourBitIntegers() throws Exception {
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "store", "type": "string"}, {"name": "units", "type": "int"}],
                 "steps": [{"op": "aggregate", "groupBy": ["store"], "measures": {"units": {"sum": "units"}}},
                           {"op": "sql", "query": "SELECT * FROM input ORDER BY store"}]}""", null)
                .definition().orElseThrow();
        Path input = work.resolve("input.csv");
        Files.writeString(input, "store,units\na,2147483647\na,1\nb,5\n");

        ChunkOutput out = new ChunkTransformer(EngineLimits.DEFAULT).transform(definition, input, work);

        assertEquals(new OutputColumn("units", "BIGINT"), out.schema().get(1));
        assertEquals(List.of(Map.of("store", "a", "units", 2147483648L), Map.of("store", "b", "units", 5L)),
                ParquetRows.read(out.parts().get(0).file()));
    }
}
