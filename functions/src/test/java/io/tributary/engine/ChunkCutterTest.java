package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.source.SourceFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkCutterTest {

    private static final SourceFormat CSV = SourceFormat.DEFAULT;
    private static final SourceFormat JSONL = new SourceFormat("jsonl", true, ',', '"', '"', "", "string", "utf-8", "auto",
            Optional.empty(), Optional.empty(), Optional.empty());

    /** Cuts {@code text}, writing it in pieces of {@code piece} bytes, as a download does. */
    private static List<ChunkCutter.Cut> cut(SourceFormat format, String text, long chunkSize, int piece) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ChunkCutter cutter = new ChunkCutter(format, chunkSize);
        for (int i = 0; i < bytes.length; i += piece) {
            cutter.write(bytes, i, Math.min(piece, bytes.length - i));
        }
        return cutter.cuts();
    }

    /** What transform reads for each cut: the header's bytes, then the chunk's. */
    private static List<String> chunks(String text, List<ChunkCutter.Cut> cuts) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> chunks = new ArrayList<>();
        for (ChunkCutter.Cut cut : cuts) {
            chunks.add(new String(bytes, 0, (int) cut.header(), StandardCharsets.UTF_8)
                    + new String(bytes, (int) cut.offset(), (int) cut.length(), StandardCharsets.UTF_8));
        }
        return chunks;
    }

    @Test
    void csvChunksEndAtRecordsAndCarryTheHeader() {
        String text = "id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n";
        List<ChunkCutter.Cut> cuts = cut(CSV, text, 12, 3);

        // The header counts towards the first chunk.
        assertEquals(List.of("id,name\n1,a\n", "id,name\n2,b\n3,c\n4,d\n", "id,name\n5,e\n"), chunks(text, cuts));
        // Line 2 of the second chunk as read (after its header) is line 3 of the source.
        assertEquals(List.of(0L, 1L, 4L), cuts.stream().map(ChunkCutter.Cut::lineOffset).toList());
        assertEquals(text.length(), cuts.stream().mapToLong(ChunkCutter.Cut::length).sum());
    }

    @Test
    void aQuotedFieldSpanningLinesIsNeverCut() {
        String text = "id,note\n1,\"a\nb\nc\"\n2,\"x \"\"quoted\"\"\ny\"\n3,z\n";
        List<ChunkCutter.Cut> cuts = cut(CSV, text, 1, 1);

        assertEquals(List.of("id,note\n1,\"a\nb\nc\"\n", "id,note\n2,\"x \"\"quoted\"\"\ny\"\n", "id,note\n3,z\n"),
                chunks(text, cuts));
        // Lines count records, as the engine numbers them: the second record is line 3 however many lines it spans.
        assertEquals(List.of(0L, 1L, 2L), cuts.stream().map(ChunkCutter.Cut::lineOffset).toList());
    }

    @Test
    void aBackslashEscapedQuoteDoesNotEndTheField() {
        SourceFormat backslash = new SourceFormat("csv", true, ',', '"', '\\', "", "string", "utf-8", "auto", Optional.empty(),
                Optional.empty(), Optional.empty());
        String text = "id,note\n1,\"a \\\" still\nquoted\"\n2,b\n";
        List<ChunkCutter.Cut> cuts = cut(backslash, text, 1, 5);

        assertEquals(List.of("id,note\n1,\"a \\\" still\nquoted\"\n", "id,note\n2,b\n"), chunks(text, cuts));
    }

    @Test
    void jsonLinesHaveNoHeaderAndCountEveryLine() {
        String text = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n{\"id\":4}";
        List<ChunkCutter.Cut> cuts = cut(JSONL, text, 18, 7);

        assertEquals(List.of("{\"id\":1}\n{\"id\":2}\n", "{\"id\":3}\n{\"id\":4}"), chunks(text, cuts));
        assertEquals(List.of(0L, 2L), cuts.stream().map(ChunkCutter.Cut::lineOffset).toList());
        assertEquals(0, cuts.get(1).header());
    }

    @Test
    void aSourceSmallerThanAChunkOrEmptyIsOneChunk() {
        assertEquals(List.of(new ChunkCutter.Cut(0, 9, 0, 0)), cut(CSV, "id\n1\n2\n3\n", 1 << 20, 4));
        assertEquals(List.of(new ChunkCutter.Cut(0, 0, 0, 0)), cut(CSV, "", 10, 1));
        // A header with no line break, and nothing else.
        assertEquals(List.of(new ChunkCutter.Cut(0, 5, 0, 0)), cut(CSV, "id,na", 1, 1));
    }

    @Test
    void onlyUncompressedRecordsInAnAsciiCompatibleSetAreCut() {
        assertTrue(ChunkCutter.cuttable(CSV));
        assertTrue(ChunkCutter.cuttable(JSONL));
        assertTrue(ChunkCutter.cuttable(withEncoding("latin-1")));
        assertTrue(ChunkCutter.cuttable(withEncoding("windows-1252")));
        assertFalse(ChunkCutter.cuttable(withEncoding("utf-16")));
        assertFalse(ChunkCutter.cuttable(withEncoding("shift_jis")));
        assertFalse(ChunkCutter.cuttable(new SourceFormat("csv", true, ',', '"', '"', "", "string", "utf-8", "gzip",
                Optional.empty(), Optional.empty(), Optional.empty())));
        assertFalse(ChunkCutter.cuttable(new SourceFormat("json", true, ',', '"', '"', "", "string", "utf-8", "none",
                Optional.empty(), Optional.empty(), Optional.empty())));
        assertTrue(SourceDecoder.isGzip(new byte[] {0x1f, (byte) 0x8b}));
        assertFalse(SourceDecoder.isGzip("id".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> new ChunkCutter(withEncoding("utf-16"), 10));
    }

    private static SourceFormat withEncoding(String encoding) {
        return new SourceFormat("csv", true, ',', '"', '"', "", "string", encoding, "auto", Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
