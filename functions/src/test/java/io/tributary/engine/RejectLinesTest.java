package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.SourceSchema;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rejected row names its line (the record number for Parquet) and its record as written, whatever set it
 * aside: a value that does not convert, a missing value, or an expectation after the steps, in one chunk or many.
 */
class RejectLinesTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String format, String steps) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "%s"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "temp", "type": "double"}],
                 "steps": %s,
                 "expectations": [{"expect": "between", "column": "temp", "min": 0, "max": 50, "onFailure": "drop"}]}"""
                .formatted(format, steps), null).definition().orElseThrow();
    }

    private static List<JsonNode> rejects(Path file) throws Exception {
        List<JsonNode> rejects = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rejects.add(new ObjectMapper().readTree(line));
        }
        return rejects;
    }

    @Test
    void aRowAnExpectationDropsFromJsonLinesNamesItsLineAndRecord() throws Exception {
        Path input = work.resolve("in.jsonl");
        Files.writeString(input, "{\"id\": 1, \"temp\": 20}\n\n{\"id\": 2, \"temp\": 99.50}\n{\"id\": 3, \"temp\": 5}\n");

        ChunkOutput out = engine.transform(definition("jsonl", "[{\"op\": \"filter\", \"where\": \"id > 0\"}]"),
                input, work);

        List<JsonNode> rejects = rejects(out.rejects());
        assertEquals(1, rejects.size());
        assertEquals(3, rejects.get(0).get("line").asLong());
        assertEquals("{\"id\": 2, \"temp\": 99.50}", rejects.get(0).get("text").asText());
    }

    @Test
    void aRowAnExpectationDropsFromParquetNamesItsRowNumberAndRecord() throws Exception {
        Path input = work.resolve("in.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES (1::BIGINT, 20.0::DOUBLE), (2, 99.5), (3, 5.0)) t(id, temp) "
                    + "ORDER BY id) TO '" + input + "' (FORMAT parquet)");
        }

        ChunkOutput out = engine.transform(definition("parquet", "[]"), input, work);

        List<JsonNode> rejects = rejects(out.rejects());
        assertEquals(1, rejects.size());
        assertEquals(2, rejects.get(0).get("line").asLong());
        assertEquals("{\"id\":2,\"temp\":99.5}", rejects.get(0).get("text").asText());
    }

    @Test
    void rowsAfterAnAggregateAreNewRowsWithoutALine() throws Exception {
        PipelineDefinition aggregated = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "temp", "type": "double"}],
                 "steps": [{"op": "aggregate", "groupBy": ["id"], "measures": {"temp": {"sum": "temp"}}}],
                 "expectations": [{"expect": "between", "column": "temp", "min": 0, "max": 50, "onFailure": "drop"}]}""",
                null).definition().orElseThrow();
        Path input = work.resolve("in.csv");
        Files.writeString(input, "id,temp\n1,20\n1,40\n2,5\n");

        ChunkOutput out = engine.transform(aggregated, input, work);

        List<JsonNode> rejects = rejects(out.rejects());
        assertEquals(1, rejects.size());
        assertEquals(true, rejects.get(0).get("line").isNull());
        assertEquals("{\"id\":1,\"temp\":60.0}", rejects.get(0).get("text").asText());
    }

    @Test
    void aSqlStepSeesOnlyTheDefinitionsColumns() throws Exception {
        PipelineDefinition distinct = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "temp", "type": "double"}],
                 "steps": [{"op": "sql", "query": "SELECT DISTINCT * FROM input"}]}""", null).definition().orElseThrow();
        Path input = work.resolve("in.csv");
        Files.writeString(input, "id,temp\n1,20\n1,20\n2,5\n");

        ChunkOutput out = engine.transform(distinct, input, work);

        assertEquals(2, out.rowsOut());
        assertEquals(List.of("id", "temp"), ParquetRows.columns(out.parts().get(0).file()));
    }

    /**
     * A run cut into chunks whose rows meet in key buckets: a row dropped in its bucket names its line in the source,
     * counted past the header, a quoted line break, a blank line and a line the reader rejected.
     */
    @Test
    void aRowDroppedInAKeyBucketNamesItsLineInTheSource() throws Exception {
        PipelineDefinition definition = definition("csv", "[{\"op\": \"dedupe\", \"keys\": [\"id\"], \"orderBy\": [\"temp\"]}]");
        KeyRouting routing = KeyRouting.of(definition).orElseThrow();
        // Chunk 2 of a source whose first chunk held 10 lines after the header: its lines are 11 on.
        Path first = Files.createDirectories(work.resolve("c1")).resolve("in.csv");
        Files.writeString(first, "id,temp\n1,20\n\"2\n\",99\n");
        Path second = Files.createDirectories(work.resolve("c2")).resolve("in.csv");
        Files.writeString(second, "id,temp\n\n3,4,5\n4,98.5\n5,10\n");

        RoutedChunk a = engine.route(definition, SourceSchema.declared(definition), first, 0, Map.of(), routing, 2,
                work.resolve("c1"));
        RoutedChunk b = engine.route(definition, SourceSchema.declared(definition), second, 10, Map.of(), routing, 2,
                work.resolve("c2"));
        List<JsonNode> dropped = new ArrayList<>();
        for (int bucket = 0; bucket < 2; bucket++) {
            List<Path> files = new ArrayList<>();
            for (RoutedChunk chunk : List.of(a, b)) {
                for (RoutedChunk.Bucket routed : chunk.buckets()) {
                    if (routed.bucket() == bucket) {
                        files.add(routed.file());
                    }
                }
            }
            Path dir = Files.createDirectories(work.resolve("b" + bucket));
            List<Path> copies = new ArrayList<>();
            for (Path file : files) {
                copies.add(Files.copy(file, dir.resolve("part-" + copies.size() + ".parquet")));
            }
            ChunkOutput out = engine.combine(definition, routing, a.columns(), copies, Map.of(), dir);
            dropped.addAll(rejects(out.rejects()));
        }

        assertEquals(1, a.rowsRejected() + b.rowsRejected());
        assertEquals(List.of(3L, 14L), dropped.stream().map(r -> r.get("line").asLong()).sorted().toList());
    }
}
