package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.SourceSchema.SchemaColumn;
import io.tributary.run.OutputColumn;
import io.tributary.run.SourceSchema;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns inferred from a sample, and the drift policies: a run reads what its definition and input agree on. */
class SchemaProbeTest {

    @TempDir
    Path work;

    private final SchemaProbe probe = new SchemaProbe(EngineLimits.DEFAULT);
    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String source, String columns, String drift) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": %s %s %s}""".formatted(source,
                columns == null ? "" : ", \"columns\": " + columns, drift == null ? "" : ", \"schemaDrift\": \"" + drift
                        + "\""), null).definition().orElseThrow();
    }

    private Path file(String name, String content) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private ChunkOutput run(PipelineDefinition definition, Path input) throws Exception {
        Path sample = work.resolve("sample");
        Files.copy(input, sample);
        SourceSchema schema = probe.probe(definition, sample, true, work);
        return engine.transform(definition, schema, input, Map.of(), work);
    }

    @Test
    void withoutDeclaredColumnsTheyAreInferredFromTheSample() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}", null, null);
        Path input = file("input.csv", "id,price,day,ok,name\n1,2.50,2026-11-01,true,a\n2,3.75,2026-11-02,false,b\n");

        SourceSchema schema = probe.probe(definition, Files.copy(input, work.resolve("s.csv")), true, work);

        assertEquals("inferred", schema.origin());
        assertEquals(List.of(new SchemaColumn("id", "long", true, null), new SchemaColumn("price", "double", true, null),
                new SchemaColumn("day", "date", true, null), new SchemaColumn("ok", "boolean", true, null),
                new SchemaColumn("name", "string", true, null)), schema.columns());
        ChunkOutput out = engine.transform(definition, schema, input, Map.of(), work);
        assertEquals(2, out.rowsOut());
        assertEquals(new OutputColumn("day", "DATE"), out.schema().get(2));
    }

    @Test
    void aSampleCutMidLineIsReadUpToItsLastWholeLine() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}", null, null);
        Path sample = file("sample", "id,amount\n1,2\n2,3\n3,4.");

        SourceSchema schema = probe.probe(definition, sample, false, work);

        assertEquals(List.of(new SchemaColumn("id", "long", true, null), new SchemaColumn("amount", "long", true, null)),
                schema.columns());
    }

    @Test
    void ignoreMatchesColumnsByNameAndDropsTheOthers() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}",
                "[{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"amount\", \"type\": \"decimal(8,2)\"}]", "ignore");
        Path input = file("input.csv", "amount,note,id\n1.50,first,1\n2.00,second,2\n");

        ChunkOutput out = run(definition, input);

        assertEquals(List.of(new OutputColumn("amount", "DECIMAL(8,2)"), new OutputColumn("id", "BIGINT")), out.schema());
        assertEquals(List.of(Map.of("amount", new java.math.BigDecimal("1.50"), "id", 1L),
                Map.of("amount", new java.math.BigDecimal("2.00"), "id", 2L)), ParquetRows.read(out.parts().get(0).file()));
    }

    @Test
    void evolveAddsNewColumnsNullableWithTheirInferredTypes() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}",
                "[{\"name\": \"id\", \"type\": \"long\", \"nullable\": false}]", "evolve");
        Path input = file("input.csv", "id,score\n1,0.5\n2,\n");
        Path sample = Files.copy(input, work.resolve("sample"));

        SourceSchema schema = probe.probe(definition, sample, true, work);
        ChunkOutput out = engine.transform(definition, schema, input, Map.of(), work);

        assertEquals(List.of("score"), schema.added());
        assertEquals(List.of(new SchemaColumn("id", "long", false, null), new SchemaColumn("score", "double", true, null)),
                schema.columns());
        Map<String, Object> second = new HashMap<>();
        second.put("id", 2L);
        second.put("score", null);
        assertEquals(List.of(Map.of("id", 1L, "score", 0.5), second), ParquetRows.read(out.parts().get(0).file()));
    }

    @Test
    void aHeaderWithoutADeclaredColumnFailsNamingIt() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}",
                "[{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"amount\", \"type\": \"double\"}]", "ignore");
        Path sample = file("sample", "id,total\n1,2\n");

        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> probe.probe(definition, sample, true, work));
        assertEquals("the source's header lacks the declared column amount; its columns are id, total (declare only "
                + "columns the source has)", e.getMessage());
    }

    @Test
    void aJsonFieldTheDefinitionDoesNotDeclareFailsTheRunUnderFail() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"jsonl\"}", "[{\"name\": \"id\", \"type\": \"long\"}]",
                null);
        Path input = file("input.jsonl", "{\"id\": 1}\n{\"id\": 2, \"tier\": \"gold\"}\n");

        TransformFailedException e = assertThrows(TransformFailedException.class, () -> run(definition, input));
        assertEquals("the source has fields the definition does not declare: tier; declare them in \"columns\", or set "
                + "\"schemaDrift\" to \"ignore\" (drop them) or \"evolve\" (add them)", e.getMessage());
    }

    @Test
    void jsonFieldsAreDroppedUnderIgnoreAndAddedUnderEvolve() throws Exception {
        String columns = "[{\"name\": \"id\", \"type\": \"long\"}]";
        String jsonl = "{\"id\": 1, \"tier\": \"gold\", \"tags\": [\"a\"]}\n{\"id\": 2}\n";

        ChunkOutput ignored = run(definition("{\"format\": \"jsonl\"}", columns, "ignore"), file("in1.jsonl", jsonl));
        assertEquals(List.of(new OutputColumn("id", "BIGINT")), ignored.schema());

        Path again = Files.createDirectories(work.resolve("again"));
        PipelineDefinition evolving = definition("{\"format\": \"jsonl\"}", columns, "evolve");
        Path input = Files.writeString(again.resolve("in2.jsonl"), jsonl);
        SourceSchema schema = probe.probe(evolving, Files.copy(input, again.resolve("sample")), true, again);
        assertEquals(List.of("tier", "tags"), schema.added());
        assertEquals(new SchemaColumn("tags", "json", true, null), schema.columns().get(2));
        ChunkOutput evolved = engine.transform(evolving, schema, input, Map.of(), again);
        assertEquals(List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("tier", "VARCHAR"),
                new OutputColumn("tags", "JSON")), evolved.schema());
    }

    @Test
    void inferredTimestampsWithOffsetsKeepTheInstantTheyName() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}", null, null);
        Path input = file("input.csv", "id,at\n1,2024-01-01 10:00:00+02\n2,2024-01-01T10:00:00+05:30\n");

        ChunkOutput out = run(definition, input);

        assertEquals(new OutputColumn("at", "TIMESTAMP WITH TIME ZONE"), out.schema().get(1));
        assertEquals(List.of(1704096000000000L, 1704083400000000L), ParquetRows.read(out.parts().get(0).file()).stream()
                .map(r -> r.get("at")).toList());
    }

    @Test
    void aFirstRecordLongerThanTheSampleAsksForDeclaredColumns() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"jsonl\"}", null, null);
        Path sample = file("sample", "{\"id\": 1, \"blob\": \"" + "x".repeat(1000));

        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> probe.probe(definition, sample, false, work));
        assertEquals("the input's first record is longer than the 4 MiB its columns are inferred from; declare "
                + "\"columns\", or give a larger \"inferenceSample\"", e.getMessage());
    }
}
