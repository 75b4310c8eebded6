package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.testing.ParquetRows;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines and JSON array sources: typed fields, nested objects flattened, bad records kept with their line. */
class JsonSourceTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String format) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "%s"}, "schemaDrift": "ignore",
                 "columns": [{"name": "id", "type": "long", "nullable": false},
                             {"name": "email", "type": "string"},
                             {"name": "spent", "type": "decimal(8,2)"},
                             {"name": "address", "type": "json"}],
                 "steps": [{"op": "flatten", "column": "address",
                            "fields": {"city": "string", "geo.lat": "double"}}]}""".formatted(format), null)
                .definition().orElseThrow();
    }

    private static Map<String, Object> row(long id, String email, String spent, String city, Double lat) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("email", email);
        row.put("spent", spent == null ? null : new BigDecimal(spent));
        row.put("address_city", city);
        row.put("address_geo_lat", lat);
        return row;
    }

    @Test
    void jsonLinesAreTypedFlattenedAndBadLinesRejectedWithTheirLine() throws Exception {
        Path input = work.resolve("input.jsonl");
        Files.writeString(input, """
                {"id": 1, "email": "a@x.io", "spent": 12.5, "address": {"city": "Lyon", "geo": {"lat": 45.76}}}
                {"id": 2, "email": "b@x.io", "spent": "a lot", "address": null}

                {"id": 3, "email": null, "address": {"city": "Graz"}, "unused": true}
                {"id": 4, "email": "d@x.io
                {"email": "e@x.io", "spent": 1}
                [1, 2]
                """);

        ChunkOutput out = engine.transform(definition("jsonl"), input, work);

        assertEquals(List.of("id", "email", "spent", "address_city", "address_geo_lat"),
                ParquetRows.columns(out.parts().get(0).file()));
        assertEquals(List.of(row(1, "a@x.io", "12.50", "Lyon", 45.76), row(3, null, null, "Graz", null)),
                ParquetRows.read(out.parts().get(0).file()));
        assertEquals(6, out.rowsIn());
        assertEquals(4, out.rowsRejected());
        List<JsonNode> rejects = Files.readAllLines(out.rejects()).stream().map(JsonSourceTest::json).toList();
        assertEquals(List.of(2L, 5L, 6L, 7L), rejects.stream().map(r -> r.get("line").asLong()).toList());
        assertEquals("column \"spent\": \"a lot\" is not a decimal(8,2)", rejects.get(0).get("reason").asText());
        assertEquals("not a JSON object", rejects.get(1).get("reason").asText());
        assertEquals("{\"id\": 4, \"email\": \"d@x.io", rejects.get(1).get("text").asText());
        assertEquals("column \"id\" is missing or null but declared \"nullable\": false",
                rejects.get(2).get("reason").asText());
    }

    @Test
    void aJsonArrayIsReadRecordByRecord() throws Exception {
        Path input = work.resolve("input.json");
        Files.writeString(input, "[{\"id\": 7, \"email\": \"g@x.io\", \"spent\": 3, \"address\": {\"city\": \"Oslo\"}},"
                + " {\"id\": \"eight\"}]");

        ChunkOutput out = engine.transform(definition("json"), input, work);

        assertEquals(List.of(row(7, "g@x.io", "3.00", "Oslo", null)), ParquetRows.read(out.parts().get(0).file()));
        assertEquals(2, out.rowsIn());
        assertEquals(1, out.rowsRejected());
        assertEquals("column \"id\": \"eight\" is not a long",
                json(Files.readAllLines(out.rejects()).get(0)).get("reason").asText());
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTruncatedJsonArrayFailsTheRunSayingWhatItIsNot() throws Exception {
        Path input = work.resolve("input.json");
        Files.writeString(input, "[{\"id\": 1}, {\"id\": 2");

        TransformFailedException e = org.junit.jupiter.api.Assertions.assertThrows(TransformFailedException.class,
                () -> engine.transform(definition("json"), input, work));
        assertEquals(true, e.getMessage().startsWith("the source cannot be read as a JSON array of objects: "),
                e.getMessage());
    }
}
