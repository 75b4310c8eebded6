package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.SourceSchema.SchemaColumn;
import io.tributary.run.SourceSchema;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types inferred from a sample never change a value the sample did not show: such a value is rejected, saying so. */
class InferenceTest {

    @TempDir
    Path work;

    private final SchemaProbe probe = new SchemaProbe(EngineLimits.DEFAULT);
    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String source, String more) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": %s%s}""".formatted(source, more), null)
                .definition().orElseThrow();
    }

    /** The run's sample: the first {@code inferenceSample} bytes of the input, as extract downloads them. */
    private Path sample(Path input, PipelineDefinition definition) throws Exception {
        byte[] bytes = Files.readAllBytes(input);
        byte[] head = java.util.Arrays.copyOf(bytes, (int) Math.min(bytes.length, definition.inferenceSample()));
        return Files.write(Files.createDirectories(work.resolve("sample")).resolve("sample"), head);
    }

    /** The input as a chunk: a copy inside the engine's work folder. */
    private Path run(Path input) throws Exception {
        return Files.copy(input, Files.createDirectories(work.resolve("run")).resolve(input.getFileName()));
    }

    /** Postal codes: 2000 bytes of codes without leading zeros, then 00731, +7 and 1e3 past a 1 KB sample. */
    private Path postalCodes() throws Exception {
        StringBuilder csv = new StringBuilder("zip,city\n");
        for (int i = 0; csv.length() < 2000; i++) {
            csv.append(10000 + i).append(",Town ").append(i).append('\n');
        }
        csv.append("00731,Adjuntas\n+7,Plus\n1e3,Exponent\n");
        Path input = work.resolve("zips.csv");
        Files.writeString(input, csv);
        return input;
    }

    @Test
    void aValueBeyondTheSampleThatWouldLoseItsTextIsRejectedNamingTheInference() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}", ", \"inferenceSample\": \"1KB\"");
        Path input = postalCodes();

        SourceSchema schema = probe.probe(definition, sample(input, definition), false, work.resolve("sample"));

        assertEquals(new SchemaColumn("zip", "long", true, null), schema.columns().get(0));
        ChunkOutput out = engine.transform(definition, schema, run(input), Map.of(), work.resolve("run"));
        List<JsonNode> rejects = new ArrayList<>();
        for (String line : Files.readAllLines(out.rejects())) {
            rejects.add(new ObjectMapper().readTree(line));
        }
        assertEquals(3, rejects.size(), rejects.toString());
        long lines = Files.readAllLines(input).size();
        assertEquals(List.of(lines - 2, lines - 1, lines), rejects.stream().map(r -> r.get("line").asLong()).toList());
        assertEquals("00731,Adjuntas", rejects.get(0).get("text").asText());
        String reason = rejects.get(0).get("reason").asText();
        assertTrue(reason.startsWith("column \"zip\": \"00731\" is written as no long is (with leading zeros, a plus "
                + "sign or an exponent), so reading it as long would change its text; the column's type was inferred "
                + "from a sample of the input"), reason);
        assertTrue(reason.endsWith("or give a larger \"inferenceSample\""), reason);
        assertEquals("+7,Plus", rejects.get(1).get("text").asText());
        assertEquals("1e3,Exponent", rejects.get(2).get("text").asText());
        assertEquals(out.rowsIn() - 3, out.rowsOut());
        // 00731 was never stored as 731.
        assertTrue(ParquetRows.read(out.parts().get(0).file()).stream().noneMatch(r -> r.get("zip").equals(731L)));
    }

    @Test
    void aSampleLargeEnoughToHoldTheLeadingZerosInfersAString() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"csv\"}", "");
        Path input = postalCodes();

        SourceSchema schema = probe.probe(definition, sample(input, definition), false, work.resolve("sample"));

        assertEquals(new SchemaColumn("zip", "string", true, null), schema.columns().get(0));
        ChunkOutput out = engine.transform(definition, schema, run(input), Map.of(), work.resolve("run"));
        assertEquals(0, out.rowsRejected());
        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(List.of("00731", "+7", "1e3"), rows.subList(rows.size() - 3, rows.size()).stream()
                .map(r -> r.get("zip")).toList());
    }

    @Test
    void aJsonFieldMixingStringsAndNumbersIsAStringHoldingTheText() throws Exception {
        PipelineDefinition definition = definition("{\"format\": \"jsonl\"}", "");
        Path input = work.resolve("mixed.jsonl");
        Files.writeString(input, "{\"code\": \"A-1\", \"extra\": {\"k\": 1}}\n{\"code\": 12.50, \"extra\": 5}\n"
                + "{\"code\": true, \"extra\": \"x\"}\n");

        SourceSchema schema = probe.probe(definition, sample(input, definition), true, work.resolve("sample"));

        assertEquals(List.of(new SchemaColumn("code", "string", true, null),
                new SchemaColumn("extra", "json", true, null)), schema.columns());
        ChunkOutput out = engine.transform(definition, schema, run(input), Map.of(), work.resolve("run"));
        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(List.of("A-1", "12.50", "true"), rows.stream().map(r -> r.get("code")).toList());
        assertEquals(List.of("{\"k\":1}", "5", "\"x\""), rows.stream().map(r -> r.get("extra")).toList());
    }
}
