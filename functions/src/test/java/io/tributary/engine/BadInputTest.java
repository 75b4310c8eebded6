package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.testing.ParquetRows;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real engine: each ends as rejected rows with line and reason, or as a clear failure
 * ({@link TransformFailedException}), within the engine's memory limit and the surefire JVM's default heap — never a
 * hang, an out-of-memory error, or rows silently lost.
 */
class BadInputTest {

    private static final String CSV = "{\"format\": \"csv\"}";
    private static final String JSONL = "{\"format\": \"jsonl\"}";
    private static final String ID_TEXT = """
            [{"name": "id", "type": "long", "nullable": false}, {"name": "text", "type": "string"}]""";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String source) {
        DefinitionResult result = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": %s, "columns": %s}""".formatted(source, ID_TEXT), null);
        assertEquals(List.of(), result.problems());
        return result.definition().orElseThrow();
    }

    /** Writes {@code bytes} as {@code name} in a work dir of its own. */
    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(Files.createDirectories(work.resolve(name + "-work")).resolve(name), bytes);
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private ChunkOutput transform(String source, Path input) {
        return engine.transform(definition(source), input, input.getParent());
    }

    private TransformFailedException fails(String source, Path input) {
        return assertThrows(TransformFailedException.class, () -> transform(source, input));
    }

    private static List<JsonNode> rejects(ChunkOutput out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (var lines = Files.lines(out.rejects())) {
            return lines.map(l -> {
                try {
                    return json.readTree(l);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static Map<String, Object> row(long id, String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("text", text);
        return row;
    }

    private static List<Map<String, Object>> rows(ChunkOutput out) throws Exception {
        return ParquetRows.read(out.parts().get(0).file());
    }

    @Test
    void raggedRowsWithTooFewOrTooManyFieldsAreRejectedWithLineAndReason() throws Exception {
        ChunkOutput out = transform(CSV, write("ragged.csv", "id,text\n1,a\n2\n3,c,extra\n4,d\n"));

        assertEquals(4, out.rowsIn());
        assertEquals(2, out.rowsRejected());
        assertEquals(List.of(row(1, "a"), row(4, "d")), rows(out));
        List<JsonNode> rejects = rejects(out);
        assertEquals(3, rejects.get(0).get("line").asLong());
        assertEquals("MISSING COLUMNS", rejects.get(0).get("error").asText());
        assertEquals("Expected Number of Columns: 2 Found: 1", rejects.get(0).get("reason").asText());
        assertEquals("2", rejects.get(0).get("text").asText());
        assertEquals(4, rejects.get(1).get("line").asLong());
        assertEquals("TOO MANY COLUMNS", rejects.get(1).get("error").asText());
        assertEquals("Expected Number of Columns: 2 Found: 3", rejects.get(1).get("reason").asText());
        assertEquals("3,c,extra", rejects.get(1).get("text").asText());
    }

    @Test
    void anUnbalancedQuoteRejectsTheRecordItOpensWhichRunsToTheEndOfTheFile() throws Exception {
        ChunkOutput out = transform(CSV, write("quote.csv", "id,text\n1,a\n2,\"b\n3,c\n4,d\n"));

        assertEquals(List.of(row(1, "a")), rows(out));
        assertEquals(2, out.rowsIn());
        assertEquals(1, out.rowsRejected());
        JsonNode reject = rejects(out).get(0);
        assertEquals(3, reject.get("line").asLong());
        assertEquals("UNQUOTED VALUE", reject.get("error").asText());
        assertEquals("Value with unterminated quote found.", reject.get("reason").asText());
        assertEquals("2,\"b\n3,c\n4,d\n", reject.get("text").asText(), "the rest of the file is the open field");
    }

    @Test
    void invalidUtf8IsARejectedLineInCsvAndFailsJsonLinesNamingTheLine() throws Exception {
        byte[] csv = "id,text\n1,a\n2,b\n3,c\n".getBytes(StandardCharsets.UTF_8);
        csv[14] = (byte) 0xff; // the b of line 3
        ChunkOutput out = transform(CSV, write("bytes.csv", csv));
        assertEquals(List.of(row(1, "a"), row(3, "c")), rows(out));
        assertEquals(3, out.rowsIn());
        JsonNode reject = rejects(out).get(0);
        assertEquals(3, reject.get("line").asLong());
        assertEquals("INVALID ENCODING", reject.get("error").asText());
        assertEquals("Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.",
                reject.get("reason").asText());

        byte[] jsonl = "{\"id\": 1, \"text\": \"a\"}\n{\"id\": 2, \"text\": \"b\"}\n".getBytes(StandardCharsets.UTF_8);
        jsonl[40] = (byte) 0xc3; // a lead byte without its continuation, on line 2
        TransformFailedException e = fails(JSONL, write("bytes.jsonl", jsonl));
        assertEquals("wrong format: the source is not valid UTF-8 at line 2; set \"encoding\" to the character set "
                + "it is written in, or fix the bytes there", e.describe());
    }

    @Test
    void aFileThatIsOnlyAByteOrderMarkOrNothingAtAllHasNoRows() throws Exception {
        for (String source : List.of(CSV, JSONL)) {
            for (byte[] bytes : List.of(BOM, new byte[0])) {
                ChunkOutput out = transform(source, write("empty-" + bytes.length + (source.equals(CSV) ? ".csv"
                        : ".jsonl"), bytes));
                assertEquals(0, out.rowsIn(), source);
                assertEquals(0, out.rowsRejected(), source);
                assertEquals(0, out.rowsOut(), source);
            }
        }
        TransformFailedException parquet = fails("{\"format\": \"parquet\"}", write("empty.parquet", new byte[0]));
        assertEquals("wrong format: the source cannot be read as Parquet: Invalid Input Error: File too small to be a "
                + "Parquet file; check the file, or the source's \"format\"", parquet.describe());
    }

    /** {@code before}, then a line of {@code mib} MiB of x, then {@code after}: written streaming. */
    private Path hugeLine(String name, String before, int mib, String after) throws IOException {
        Path file = Files.createDirectories(work.resolve(name + "-work")).resolve(name);
        byte[] mebibyte = new byte[1 << 20];
        Arrays.fill(mebibyte, (byte) 'x');
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(before.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < mib; i++) {
                out.write(mebibyte);
            }
            out.write(after.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    @Test
    void aCsvLineOf100MiBIsRejectedWithItsLineNotSkippedSilently() throws Exception {
        ChunkOutput out = transform(CSV, hugeLine("long.csv", "id,text\n1,a\n2,", 100, "\n3,c\n"));

        assertEquals(List.of(row(1, "a"), row(3, "c")), rows(out));
        assertEquals(3, out.rowsIn());
        assertEquals(1, out.rowsRejected());
        JsonNode reject = rejects(out).get(0);
        assertEquals(3, reject.get("line").asLong());
        assertEquals("LINE SIZE OVER MAXIMUM", reject.get("error").asText());
        assertEquals("Maximum line size of 67108864 bytes exceeded. Actual Size:104857602 bytes.",
                reject.get("reason").asText());
        assertTrue(Files.size(out.rejects()) < 1 << 20, "the rejects file holds the start of the line only");
    }

    @Test
    void aCsvLineUnder64MiBIsARowEvenBeyondDuckDbsReadBuffer() throws Exception {
        ChunkOutput out = transform(CSV, hugeLine("wide.csv", "id,text\n1,", 40, "\n2,b\n"));
        assertEquals(2, out.rowsIn());
        assertEquals(2, out.rowsOut());
        assertEquals(0, out.rowsRejected());
    }

    @Test
    void aJsonLinesLineOf100MiBFailsTheRunNamingTheLine() throws Exception {
        TransformFailedException e = fails(JSONL, hugeLine("long.jsonl", "{\"id\": 1, \"text\": \"a\"}\n"
                + "{\"id\": 2, \"text\": \"", 100, "\"}\n{\"id\": 3, \"text\": \"c\"}\n"));
        assertEquals("wrong format: line 2 is longer than 64 MiB, the most a JSON Lines record may have",
                e.describe());
    }

    @Test
    void aTruncatedGzipFailsAsWrongFormat() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 10_000; i++) {
                gz.write((i + ",row " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = bytes.toByteArray();
        TransformFailedException e = fails(CSV, write("cut.csv.gz", Arrays.copyOf(whole, whole.length / 2)));
        assertEquals("wrong format: the source starts with gzip's magic bytes (1f 8b) but does not decompress "
                + "(Unexpected end of ZLIB input stream); upload it again, or set \"compression\": \"none\" if it is "
                + "not gzip", e.describe());
    }

    @Test
    void aDecompressionBombFailsOnceItExpandsBeyondTheLimitAndLeavesNothingOnDisk() throws Exception {
        // 10 GiB of zeros in 10 MiB: 160 gzip members of 64 MiB of zeros each (a gzip may hold several members).
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(member, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        Path bomb = Files.createDirectories(work.resolve("bomb-work")).resolve("bomb.csv.gz");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            for (int i = 0; i < 160; i++) {
                member.writeTo(out);
            }
        }
        assertTrue(Files.size(bomb) < 20L << 20, Files.size(bomb) + " bytes");

        TransformFailedException e = fails(CSV, bomb);
        assertEquals("wrong format: the gzip expands beyond 1.0 GiB, more than 100 times its compressed size ("
                + SourceDecoder.bytes(Files.size(bomb)) + "), so it was not read further: it looks like a "
                + "decompression bomb; if it is real data, raise the app setting TRIBUTARY_MAX_DECOMPRESSED_BYTES "
                + "above its decompressed size", e.describe());
        try (var files = Files.list(bomb.getParent())) {
            assertEquals(List.of(bomb), files.toList(), "the decompressed bytes are deleted");
        }
    }

    @Test
    void aGzipMayExpandAHundredTimesItsSizeBeyondTheSetting() throws Exception {
        assertEquals(1L << 30, SourceDecoder.maxDecompressed(1 << 20, 1L << 30));
        assertEquals(100L << 30, SourceDecoder.maxDecompressed(1L << 30, 1L << 30));
        assertEquals(Long.MAX_VALUE, SourceDecoder.maxDecompressed(Long.MAX_VALUE / 10, 1L << 30));

        Path small = write("small.csv.gz", gzipOf("id,text\n" + "1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(10_000)));
        ChunkTransformer tight = new ChunkTransformer(new EngineLimits("512MB", 1, 1000));
        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> tight.transform(definition(CSV), small, small.getParent()));
        assertTrue(e.describe().startsWith("wrong format: the gzip expands beyond "), e.describe());
        assertEquals(10_000, transform(CSV, small).rowsOut(), "within the default limit");
    }

    @Test
    void aGzipStopsAtTheDecodedLimitWhateverItsCompressedSizeAndLeavesNothingOnDisk() throws Exception {
        // Random text hardly compresses: a hundred times its compressed size is far beyond what it decodes to.
        java.util.Random random = new java.util.Random(7);
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append(',').append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36)).append('\n');
        }
        Path input = write("large.csv.gz", gzipOf(csv.toString()));
        assertTrue(Files.size(input) * SourceDecoder.MAX_EXPANSION > 1_000_000, Files.size(input) + " bytes");
        ChunkTransformer limited = new ChunkTransformer(new EngineLimits("512MB", 1, 1000, 100_000,
                EngineLimits.MAX_SPILL_BYTES));

        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> limited.transform(definition(CSV), input, input.getParent()));

        assertEquals("the source decodes to more than 97.7 KiB, the most the app setting TRIBUTARY_MAX_DECODED_BYTES "
                + "(100000) lets a decoded source take on the work dir's disk, so decoding stopped there and what it "
                + "wrote is deleted; split the source into smaller files, or raise TRIBUTARY_MAX_DECODED_BYTES above its "
                + "decoded size if the work dir's disk holds that much", e.getMessage());
        try (var files = Files.list(input.getParent())) {
            assertEquals(List.of(input), files.toList(), "the decoded bytes are deleted");
        }
        assertEquals(20_000, transform(CSV, input).rowsOut(), "within the default limits");
    }

    @Test
    void anInvocationThatWouldSpillMoreThanItsLimitFailsNamingTheSetting() throws Exception {
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 0; i < 600_000; i++) {
            csv.append(i).append(",text number ").append(i).append(" of six hundred thousand or so\n");
        }
        Path input = write("spills.csv", csv.toString());
        PipelineDefinition sorting = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"}, "columns": %s,
                 "steps": [{"op": "dedupe", "keys": ["text"], "orderBy": ["id"]}]}""".formatted(ID_TEXT), null)
                .definition().orElseThrow();
        ChunkTransformer limited = new ChunkTransformer(new EngineLimits("64MB", 1, EngineLimits.MAX_DECOMPRESSED_BYTES,
                EngineLimits.MAX_DECODED_BYTES, 1 << 20));

        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> limited.transform(sorting, input, input.getParent()));

        assertEquals("the engine needed more than 1.0 MiB of disk to spill to (the app setting "
                + "TRIBUTARY_MAX_SPILL_BYTES, 1048576, per invocation): give it more memory (TRIBUTARY_ENGINE_MEMORY) so "
                + "it spills less, set a smaller \"chunkSize\", or raise TRIBUTARY_MAX_SPILL_BYTES if the work dir's "
                + "disk has room", e.getMessage());
        assertEquals(600_000, new ChunkTransformer(EngineLimits.DEFAULT).transform(sorting, input, input.getParent())
                .rowsOut(), "within the default limits");
    }

    private static byte[] gzipOf(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private Path parquet(String name, String select) throws Exception {
        Path file = Files.createDirectories(work.resolve(name + "-work")).resolve(name);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
        }
        return file;
    }

    @Test
    void aParquetFileWhoseSchemaDoesNotMatchFailsTheRunOrRejectsWhatDoesNotConvert() throws Exception {
        TransformFailedException missing = fails("{\"format\": \"parquet\"}",
                parquet("renamed.parquet", "SELECT 1::BIGINT AS id, 'x' AS body"));
        assertEquals("the Parquet source has no column text; its columns are id, body; declare "
                + "only columns the file has (its columns are matched by name)", missing.getMessage());

        ChunkOutput out = transform("{\"format\": \"parquet\"}",
                parquet("typed.parquet", "SELECT * FROM (VALUES ('1', 'a'), ('two', 'b')) t(id, text)"));
        assertEquals(List.of(row(1, "a")), rows(out));
        assertEquals(1, out.rowsRejected());
        assertEquals("id", rejects(out).get(0).get("column").asText());

        ChunkOutput nested = transform("{\"format\": \"parquet\"}",
                parquet("nested.parquet", "SELECT {'a': 1} AS id, 'x' AS text"));
        assertEquals(0, nested.rowsOut());
        assertEquals(1, nested.rowsRejected());
        assertEquals("column \"id\": {\"a\":1} is not a long", rejects(nested).get(0).get("reason").asText());
    }
}
