package io.tributary.engine;

import io.tributary.definition.source.Encodings;
import io.tributary.definition.source.SourceFormat;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text source into chunks of about {@code chunkSize} bytes at record boundaries, as the source's bytes stream
 * through it once: a CSV record ends at a line break outside quotes (a quoted field may span lines), a JSON Lines
 * record at a line break. Each chunk after the first of a CSV with a header is read with the header's bytes put in
 * front, and each chunk knows how many records come before it, so rejects name their line in the source. Lines count
 * records, as the engine numbers them: a record whose quoted field spans lines is one line.
 *
 * <p>Only sources whose record boundaries can be found in the raw bytes are cut: CSV and JSON Lines, uncompressed, in
 * a character set where a line break, a quote and the escape are the ASCII bytes they look like (UTF-8, ASCII, the
 * ISO-8859 and windows-125x sets). Others ({@link #cuttable}) are one chunk.
 */
public final class ChunkCutter extends OutputStream {

    /**
     * One chunk: bytes {@code [offset, offset + length)} of the source, read after the source's bytes
     * {@code [0, header)}.
     *
     * @param lineOffset what to add to a line (record) number in the chunk as read, header included, to get the
     *                   source's
     */
    public record Cut(long offset, long length, long header, long lineOffset) {
    }

    private static final int NEWLINE = '\n';

    private final long chunkSize;
    private final boolean csv;
    private final boolean header;
    private final CsvQuotes quotes;
    private final List<Cut> cuts = new ArrayList<>();

    private long position;
    private long lines;
    /** The end of the header record, once seen (0 when there is none). */
    private long headerEnd = -1;
    private long headerLines;
    private long chunkStart;
    private long chunkStartLines;

    /** A cutter for a source written as {@code format}, which {@link #cuttable} must allow. */
    public ChunkCutter(SourceFormat format, long chunkSize) {
        if (!cuttable(format)) {
            throw new IllegalArgumentException("a " + format.format() + " source in " + format.encoding()
                    + (format.compression().equals("gzip") ? ", gzip-compressed," : "") + " cannot be cut into chunks");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("the chunk size must be at least 1 byte, was " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.csv = format.isCsv();
        this.header = csv && format.header();
        this.quotes = new CsvQuotes(format.quote(), format.escape());
        if (!header) {
            headerEnd = 0;
        }
    }

    /**
     * Whether a source written as {@code format} can be cut at record boundaries found in its raw bytes. A source
     * whose compression is {@code auto} may still turn out to be gzip: see {@link SourceDecoder#isGzip}.
     */
    public static boolean cuttable(SourceFormat format) {
        boolean records = format.isCsv() || format.format().equals("jsonl");
        return records && !format.compression().equals("gzip") && asciiCompatible(format.encoding());
    }

    private static boolean asciiCompatible(String encoding) {
        String name = Encodings.resolve(encoding).map(Charset::name).orElse("");
        return name.equals("UTF-8") || name.equals("US-ASCII") || name.startsWith("ISO-8859-")
                || name.startsWith("windows-125");
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int from, int length) {
        int end = from + length;
        for (int i = from; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (csv) {
                quotes.read(b);
            }
            if (b == NEWLINE && !quotes.inQuotes()) {
                lines++;
                recordEnds(position + (i - from) + 1);
            }
        }
        position += length;
    }

    /** A record ends just before {@code at}: the header's end, or a cut when the chunk is big enough. */
    private void recordEnds(long at) {
        if (headerEnd < 0) {
            headerEnd = at;
            headerLines = lines;
            return;
        }
        if (at - chunkStart >= chunkSize) {
            cut(at);
        }
    }

    private void cut(long at) {
        boolean first = cuts.isEmpty();
        long prefix = first ? 0 : headerEnd;
        cuts.add(new Cut(chunkStart, at - chunkStart, prefix, first ? 0 : chunkStartLines - headerLines));
        chunkStart = at;
        chunkStartLines = lines;
    }

    /** The chunks of the source, once all of its bytes were written: at least one. */
    public List<Cut> cuts() {
        List<Cut> all = new ArrayList<>(cuts);
        if (all.isEmpty() || chunkStart < position) {
            boolean first = all.isEmpty();
            all.add(new Cut(chunkStart, position - chunkStart, first ? 0 : Math.max(headerEnd, 0),
                    first ? 0 : chunkStartLines - headerLines));
        }
        return all;
    }
}
