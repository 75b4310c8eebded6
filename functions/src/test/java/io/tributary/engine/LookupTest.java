package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.OutputColumn;
import io.tributary.run.SourceSchema;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String from, String on) {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "device", "type": "string"},
                             {"name": "celsius", "type": "double"}],
                 "steps": [{"op": "lookup", "from": "%s", "on": %s,
                            "columns": {"site": "string", "installed": "date"}},
                           {"op": "sql", "query": "SELECT * FROM input ORDER BY id"}]}""".formatted(from, on);
        return DefinitionReader.read("t.json", json, null).definition().orElseThrow();
    }

    private ChunkOutput run(PipelineDefinition definition, String reference, String name) throws Exception {
        Path input = work.resolve("input.csv");
        Files.writeString(input, "id,device,celsius\n1,d-1,4.5\n2,d-2,5.0\n3,d-9,3.0\n4,,2.0\n");
        Path file = work.resolve(name);
        Files.writeString(file, reference);
        return engine.transform(definition, SourceSchema.declared(definition), input, Map.of("lookup_0", file), work);
    }

    private static Map<String, Object> row(long id, String device, double celsius, String site, LocalDate installed) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("device", device);
        row.put("celsius", celsius);
        row.put("site", site);
        row.put("installed", installed);
        return row;
    }

    @Test
    void addsTheReferenceColumnsToMatchingRowsAndNullsToTheRest() throws Exception {
        ChunkOutput out = run(definition("reference/devices.csv", "{\"device\": \"device_id\"}"),
                "device_id,site,installed,vendor\nd-1,Berlin,2025-03-01,acme\nd-2,Lyon,,acme\n", "lookup_0.csv");

        assertEquals(List.of("id", "device", "celsius", "site", "installed"),
                ParquetRows.columns(out.parts().get(0).file()));
        assertEquals(List.of(row(1, "d-1", 4.5, "Berlin", LocalDate.of(2025, 3, 1)), row(2, "d-2", 5.0, "Lyon", null),
                row(3, "d-9", 3.0, null, null), row(4, null, 2.0, null, null)), ParquetRows.read(out.parts().get(0).file()));
        assertEquals(4, out.rowsOut());
        assertEquals(new OutputColumn("installed", "DATE"), out.schema().get(4));
    }

    @Test
    void readsJsonLinesReferencesWithTheSameKeyName() throws Exception {
        ChunkOutput out = run(definition("reference/devices.jsonl", "[\"device\"]"),
                "{\"device\": \"d-2\", \"site\": \"Lyon\", \"installed\": \"2024-12-24\"}\n", "lookup_0.jsonl");

        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals("Lyon", rows.get(1).get("site"));
        assertEquals(LocalDate.of(2024, 12, 24), rows.get(1).get("installed"));
        assertEquals(null, rows.get(0).get("site"));
    }

    @Test
    void aReferenceWithTwoRowsForAKeyFailsNamingTheKey() {
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> run(
                definition("reference/devices.csv", "{\"device\": \"device_id\"}"),
                "device_id,site,installed\nd-1,Berlin,\nd-1,Bonn,\n", "lookup_0.csv"));
        assertEquals("the lookup reference 'reference/devices.csv' has 2 rows for the key {\"device_id\":\"d-1\"}; "
                + "a lookup needs one row per key, so remove the duplicates from the reference", e.getMessage());
    }

    @Test
    void aReferenceWithoutADeclaredColumnFailsListingItsColumns() {
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> run(
                definition("reference/devices.csv", "{\"device\": \"device_id\"}"),
                "device_id,location,installed\nd-1,Berlin,\n", "lookup_0.csv"));
        assertEquals("the lookup reference 'reference/devices.csv' has no column 'site'; its columns are device_id, "
                + "location, installed (fix the lookup's \"on\" or \"columns\", or the reference)", e.getMessage());
    }

    @Test
    void aReferenceThatCannotBeReadFailsWithoutNamingTheWorkFolder() {
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> run(
                definition("reference/devices.parquet", "{\"device\": \"device_id\"}"),
                "device_id,site,installed\n", "lookup_0.parquet"));
        assertTrue(e.getMessage().startsWith("the lookup reference 'reference/devices.parquet' cannot be read as "
                + "parquet: "), e.getMessage());
        assertTrue(e.getMessage().contains("<work>/lookup_0.parquet"), e.getMessage());
        assertFalse(e.getMessage().contains(work.toString()), e.getMessage());
    }

    @Test
    void aReferenceValueOfTheWrongTypeFailsTheChunk() {
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> run(
                definition("reference/devices.csv", "{\"device\": \"device_id\"}"),
                "device_id,site,installed\nd-1,Berlin,last spring\n", "lookup_0.csv"));
        assertEquals("the lookup reference 'reference/devices.csv' holds 'last spring' in column 'installed', which "
                + "is not a DATE; fix the reference or the type the lookup declares", e.getMessage());
    }

    @Test
    void referenceRowsWithoutAKeyAreNotDuplicates() throws Exception {
        ChunkOutput out = run(definition("reference/devices.csv", "{\"device\": \"device_id\"}"),
                "device_id,site,installed\n,Spare,\n,Spare 2,\nd-1,Berlin,\n", "lookup_0.csv");

        assertEquals("Berlin", ParquetRows.read(out.parts().get(0).file()).get(0).get("site"));
        assertEquals(null, ParquetRows.read(out.parts().get(0).file()).get(3).get("site"));
    }
}
