package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema;
import io.tributary.testing.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in every common shape through the engine: CSV dialects (escape character, quoted fields over several lines,
 * byte-order marks, other encodings, no header), gzip recognized by its bytes, JSON records at a path inside a
 * document, and Parquet matched by column name.
 */
class SourceShapesTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String source, String columns) {
        DefinitionResult result = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": %s, "columns": %s}""".formatted(source, columns), null);
        assertEquals(List.of(), result.problems());
        return result.definition().orElseThrow();
    }

    private static final String ID_TEXT = """
            [{"name": "id", "type": "long", "nullable": false}, {"name": "text", "type": "string"}]""";

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    /** Writes {@code bytes} as {@code name} in a work dir of its own. */
    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(Files.createDirectories(work.resolve(name + "-work")).resolve(name), bytes);
    }

    private ChunkOutput transform(PipelineDefinition definition, Path input) {
        return engine.transform(definition, input, input.getParent());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private List<Map<String, Object>> rows(ChunkOutput out) throws Exception {
        return ParquetRows.read(out.parts().get(0).file());
    }

    @Test
    void aSampleCutInsideAMultiByteCharacterLeavesThatCharacterOutButAWholeFileMayNotEndInOne() throws Exception {
        SourceFormat shiftJis = new SourceFormat("csv", true, ',', '"', '"', "", "string", "shift_jis", "auto",
                Optional.empty(), Optional.empty(), Optional.empty());
        byte[] text = "name\n東京\n大阪\n".getBytes(java.nio.charset.Charset.forName("Shift_JIS"));
        Path cut = work.resolve("cut.csv");
        Files.write(cut, java.util.Arrays.copyOf(text, text.length - 2));
        Files.createDirectories(work.resolve("work-sample"));

        SourceDecoder.Decoded sample = SourceDecoder.decode(shiftJis, cut, false, Long.MAX_VALUE,
                work.resolve("work-sample"));

        assertEquals("name\n東京\n大", Files.readString(sample.file(), StandardCharsets.UTF_8),
                "the half of 阪 the sample ends in is left out");
        Files.createDirectories(work.resolve("work-whole"));
        TransformFailedException whole = org.junit.jupiter.api.Assertions.assertThrows(TransformFailedException.class,
                () -> SourceDecoder.decode(shiftJis, cut, true, Long.MAX_VALUE, work.resolve("work-whole")));
        assertTrue(whole.describe().startsWith("wrong format: the source is not valid shift_jis text"),
                whole.describe());
    }

    @Test
    void anEscapeCharacterAndQuotedFieldsOverSeveralLines() throws Exception {
        Path input = write("input", """
                id,text
                1,"first line
                second line"
                2,"she said \\"hi\\", then left"
                3,plain
                """.getBytes(StandardCharsets.UTF_8));

        ChunkOutput out = transform(definition("""
                {"format": "csv", "escape": "\\\\"}""", ID_TEXT), input);

        assertEquals(List.of(row("id", 1L, "text", "first line\nsecond line"),
                row("id", 2L, "text", "she said \"hi\", then left"), row("id", 3L, "text", "plain")), rows(out));
        assertEquals(0, out.rowsRejected());
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstValueWithOrWithoutHeader() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path headerless = write("headerless", concat(bom, "1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)));
        ChunkOutput out = transform(definition("""
                {"format": "csv", "header": false}""", ID_TEXT), headerless);
        assertEquals(List.of(row("id", 1L, "text", "a"), row("id", 2L, "text", "b")), rows(out));

        Path jsonl = write("bom.jsonl", concat(bom, "{\"id\": 7, \"text\": \"x\"}\n".getBytes(StandardCharsets.UTF_8)));
        ChunkOutput json = transform(definition("{\"format\": \"jsonl\"}", ID_TEXT), jsonl);
        assertEquals(List.of(row("id", 7L, "text", "x")), rows(json));
        assertEquals(0, json.rowsRejected());
    }

    @Test
    void otherEncodingsAreReadAsDeclared() throws Exception {
        String text = "id,text\n1,café 5€\n2,Grüße\n";
        Path cp1252 = write("cp1252", text.getBytes(Charset.forName("windows-1252")));
        assertEquals(List.of(row("id", 1L, "text", "café 5€"), row("id", 2L, "text", "Grüße")),
                rows(transform(definition("{\"format\": \"csv\", \"encoding\": \"windows-1252\"}", ID_TEXT),
                        cp1252)));

        Path latin1 = write("latin1", "id,text\n1,café\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(row("id", 1L, "text", "café")),
                rows(transform(definition("{\"format\": \"csv\", \"encoding\": \"latin-1\"}", ID_TEXT), latin1)));

        // UTF-16 little-endian with its byte-order mark, gzip-compressed on top.
        Path utf16 = write("utf16", gzip(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE)));
        assertEquals(List.of(row("id", 1L, "text", "café 5€"), row("id", 2L, "text", "Grüße")),
                rows(transform(definition("{\"format\": \"csv\", \"encoding\": \"utf-16le\"}", ID_TEXT),
                        utf16)));
    }

    @Test
    void bytesTheEncodingDoesNotHaveFailTheRunSayingSo() throws Exception {
        Path input = write("input", "id,text\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"csv\", \"encoding\": \"us-ascii\"}", ID_TEXT), input));
        assertTrue(e.getMessage().startsWith("the source is not valid us-ascii text"), e.getMessage());
        assertTrue(e.getMessage().endsWith("set \"encoding\" to the character set it is written in"), e.getMessage());
    }

    @Test
    void gzipIsRecognizedByItsBytesWhateverTheName() throws Exception {
        Path csv = write("orders.csv", gzip("id,text\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)));
        ChunkOutput out = transform(definition("{\"format\": \"csv\"}", ID_TEXT), csv);
        assertEquals(List.of(row("id", 1L, "text", "a"), row("id", 2L, "text", "b")), rows(out));
        assertEquals(2, out.rowsIn());

        Path jsonl = write("events", gzip("{\"id\": 1, \"text\": \"a\"}\nnot json\n".getBytes(StandardCharsets.UTF_8)));
        ChunkOutput json = transform(definition("{\"format\": \"jsonl\"}", ID_TEXT), jsonl);
        assertEquals(List.of(row("id", 1L, "text", "a")), rows(json));
        assertEquals(1, json.rowsRejected());
        JsonNode reject = new ObjectMapper().readTree(Files.readAllLines(json.rejects()).get(0));
        assertEquals(2, reject.get("line").asLong());
        assertEquals("not json", reject.get("text").asText());
    }

    @Test
    void declaredGzipThatIsNotFailsAndCompressionNoneReadsTheBytesAsTheyAre() throws Exception {
        Path plain = write("plain.csv.gz", "id,text\n1,a\n".getBytes(StandardCharsets.UTF_8));
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"csv\", \"compression\": \"gzip\"}", ID_TEXT), plain));
        assertTrue(e.getMessage().contains("declared \"compression\": \"gzip\" but is not gzip"), e.getMessage());
        assertEquals(List.of(row("id", 1L, "text", "a")), rows(transform(
                definition("{\"format\": \"csv\", \"compression\": \"none\"}", ID_TEXT), plain)));
    }

    @Test
    void jsonRecordsAtAPathInsideADocumentKeepTheirDigits() throws Exception {
        String document = """
                {"meta": {"page": 1, "items": "not these"},
                 "data": {"count": 3, "items": [
                   {"id": 1, "amount": 12.30, "tags": ["a", "b"]},
                   {"id": 2, "amount": 99999999.99},
                   "not a record",
                   {"id": "three", "amount": 1}
                 ]}}""";
        Path input = write("doc", gzip(document.getBytes(StandardCharsets.UTF_8)));
        PipelineDefinition definition = definition("{\"format\": \"json\", \"recordsPath\": \"/data/items\"}", """
                [{"name": "id", "type": "long"}, {"name": "amount", "type": "decimal(10,2)"},
                 {"name": "tags", "type": "json"}]""");

        ChunkOutput out = transform(definition, input);

        assertEquals(List.of(row("id", 1L, "amount", new BigDecimal("12.30"), "tags", "[\"a\",\"b\"]"),
                row("id", 2L, "amount", new BigDecimal("99999999.99"), "tags", null)), rows(out));
        assertEquals(4, out.rowsIn());
        List<JsonNode> rejects = Files.readAllLines(out.rejects()).stream().map(SourceShapesTest::json).toList();
        assertEquals(List.of(3L, 4L), rejects.stream().map(r -> r.get("line").asLong()).toList());
        assertEquals("not a JSON object", rejects.get(0).get("reason").asText());
        assertEquals("column \"id\": \"three\" is not a long", rejects.get(1).get("reason").asText());
    }

    @Test
    void aRecordsPathThatNamesNoArrayFailsTheRunNamingWhatIsThere() throws Exception {
        Path input = write("doc.json", "{\"data\": {\"items\": {\"id\": 1}}}".getBytes(StandardCharsets.UTF_8));
        TransformFailedException notArray = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"json\", \"recordsPath\": \"/data/items\"}", ID_TEXT), input));
        assertEquals("the source's /data/items is an object, not an array of records; set \"recordsPath\" to the "
                + "array's JSON Pointer", notArray.getMessage());
        TransformFailedException missing = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"json\", \"recordsPath\": \"/data/rows\"}", ID_TEXT), input));
        assertEquals("the source has no /data/rows: /data is an object without 'rows'; set \"recordsPath\" to the "
                + "JSON Pointer of the array of records", missing.getMessage());
    }

    /** Writes a Parquet file with DuckDB, outside the engine's sandbox. */
    private Path parquet(String name, String select) throws Exception {
        Path file = Files.createDirectories(work.resolve(name + "-work")).resolve(name);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
        }
        return file;
    }

    @Test
    void parquetColumnsAreMatchedByNameAndTextThatDoesNotConvertIsRejected() throws Exception {
        Path input = parquet("drop", "SELECT * FROM (VALUES ('12.50', 1::BIGINT, TIMESTAMP '2026-11-22 10:00:00'), "
                + "('lots', 2, NULL), ('3', 3, TIMESTAMP '2026-11-23 11:30:00')) t(Amount, id, seen)");
        PipelineDefinition definition = definition("{\"format\": \"parquet\"}", """
                [{"name": "id", "type": "long"}, {"name": "seen", "type": "timestamp", "timeZone": "Europe/Paris"},
                 {"name": "amount", "type": "decimal(8,2)"}]""");

        ChunkOutput out = transform(definition, input);

        assertEquals(List.of("id", "seen", "amount"), ParquetRows.columns(out.parts().get(0).file()));
        List<Map<String, Object>> rows = rows(out);
        assertEquals(2, rows.size());
        assertEquals(1L, rows.get(0).get("id"));
        assertEquals(new BigDecimal("12.50"), rows.get(0).get("amount"));
        // Paris is UTC+1 in November: the wall-clock 10:00 there is 09:00 UTC, in microseconds.
        assertEquals(java.time.Instant.parse("2026-11-22T09:00:00Z").getEpochSecond() * 1_000_000L,
                rows.get(0).get("seen"));
        assertEquals(3L, rows.get(1).get("id"));
        assertEquals(3, out.rowsIn());
        JsonNode reject = json(Files.readAllLines(out.rejects()).get(0));
        assertEquals(2, reject.get("line").asLong());
        assertEquals("amount", reject.get("column").asText());
        assertEquals("column \"amount\": \"lots\" is not a decimal(8,2)", reject.get("reason").asText());
        assertEquals("{\"Amount\":\"lots\",\"id\":2,\"seen\":null}", reject.get("text").asText());
    }

    @Test
    void aParquetFileWithoutADeclaredColumnOrWithAnUndeclaredOneFailsTheRun() throws Exception {
        Path input = parquet("drop.parquet", "SELECT 1::BIGINT AS id, 'x' AS txt");
        TransformFailedException missing = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"parquet\"}", ID_TEXT), input));
        assertEquals("the Parquet source has no column text (did you mean 'txt'?); its columns are id, txt; declare "
                + "only columns the file has (its columns are matched by name)", missing.getMessage());
        TransformFailedException extra = assertThrows(TransformFailedException.class, () -> transform(
                definition("{\"format\": \"parquet\"}", "[{\"name\": \"id\", \"type\": \"long\"}]"), input));
        assertEquals("the Parquet source has columns the definition does not declare: txt; declare them in "
                + "\"columns\", or set \"schemaDrift\" to \"ignore\" (drop them) or \"evolve\" (add them)",
                extra.getMessage());
    }

    @Test
    void aGzipCompressedParquetFileIsReadToo() throws Exception {
        Path plain = parquet("plain", "SELECT 5::BIGINT AS id, 'five' AS text");
        Path input = write("zipped", gzip(Files.readAllBytes(plain)));
        assertEquals(List.of(row("id", 5L, "text", "five")),
                rows(transform(definition("{\"format\": \"parquet\"}", ID_TEXT), input)));
    }

    private final SchemaProbe probe = new SchemaProbe(EngineLimits.DEFAULT);

    private static PipelineDefinition inferred(String source) {
        return DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": %s}""".formatted(source), null).definition().orElseThrow();
    }

    @Test
    void headerlessColumnsAreInferredAsColumn0AndOn() throws Exception {
        Path input = write("input", "1,a,2026-11-22\n2,b,2026-11-23\n".getBytes(StandardCharsets.UTF_8));
        SourceSchema schema = probe.probe(inferred("{\"format\": \"csv\", \"header\": false}"), input, true,
                input.getParent());
        assertEquals(List.of(new SourceSchema.SchemaColumn("column0", "long", true, null),
                new SourceSchema.SchemaColumn("column1", "string", true, null),
                new SourceSchema.SchemaColumn("column2", "date", true, null)), schema.columns());
    }

    @Test
    void aGzipSampleCutShortIsInferredFromTheRecordsItHolds() throws Exception {
        StringBuilder csv = new StringBuilder("id,score\n");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200_000; i++) {
            csv.append(i).append(',').append(random.nextInt(1000) / 10.0).append('\n');
        }
        byte[] whole = gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
        Path sample = write("sample", Arrays.copyOf(whole, whole.length / 2));
        SourceSchema schema = probe.probe(inferred("{\"format\": \"csv\"}"), sample, false, sample.getParent());
        assertEquals(List.of(new SourceSchema.SchemaColumn("id", "long", true, null),
                new SourceSchema.SchemaColumn("score", "double", true, null)), schema.columns());
    }

    @Test
    void parquetColumnsAreInferredFromTheFile() throws Exception {
        Path input = parquet("inferred", "SELECT 1::INTEGER AS n, 'x' AS s, DATE '2026-11-22' AS d, "
                + "{'a': 1} AS nested");
        SourceSchema schema = probe.probe(inferred("{\"format\": \"parquet\"}"), input, true, input.getParent());
        assertEquals(List.of(new SourceSchema.SchemaColumn("n", "int", true, null),
                new SourceSchema.SchemaColumn("s", "string", true, null),
                new SourceSchema.SchemaColumn("d", "date", true, null),
                new SourceSchema.SchemaColumn("nested", "json", true, null)), schema.columns());
    }

    @Test
    void parquetColumnsBeyondTheDeclaredOnesEvolveMatchedRegardlessOfCase() throws Exception {
        Path input = parquet("evolve", "SELECT 1.5::DOUBLE AS Amount, 'eu' AS region");
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "parquet"}, "schemaDrift": "evolve",
                 "columns": [{"name": "amount", "type": "double"}]}""", null).definition().orElseThrow();
        SourceSchema schema = probe.probe(definition, input, true, input.getParent());
        assertEquals(List.of(new SourceSchema.SchemaColumn("amount", "double", true, null),
                new SourceSchema.SchemaColumn("region", "string", true, null)), schema.columns());
        assertEquals(List.of("region"), schema.added());
        ChunkOutput out = engine.transform(definition, schema, input, Map.of(), input.getParent());
        assertEquals(List.of(row("amount", 1.5, "region", "eu")), rows(out));
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
