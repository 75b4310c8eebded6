package io.tributary.engine;

import io.tributary.definition.source.SourceFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds records of a CSV chunk by their number among the records the engine's reader returned, with the line each
 * starts on and its text exactly as written: what a rejected record needs, once its values were found wanting after
 * parsing. Lines are numbered as the reader numbers them (and {@link ChunkCutter} counts them): a line ends at a line
 * break outside quotes, so a record whose quoted field spans lines is one line. The reader returns every record but
 * the header, blank lines and the lines it rejected itself; this scan skips the same. One pass, holding one record at
 * a time.
 */
final class CsvRecords {

    /** What a scan reports: a record it was asked for, or a line the reader skipped. */
    interface Visitor {
        /** The record numbered {@code number} (from 1) is on {@code line}; {@code text} as written, no line break. */
        void record(long number, long line, String text) throws IOException;

        /** The reader returned no record for {@code line}: the header, a blank line or a line it rejected. */
        default void skipped(long line) throws IOException {
        }
    }

    private final int quote;
    private final int escape;
    private final boolean header;

    CsvRecords(SourceFormat csv) {
        this(csv.quote(), csv.escape(), csv.header());
    }

    /** Records of JSON Lines: one per line, a JSON string's quotes and backslash escapes kept track of. */
    static CsvRecords jsonLines() {
        return new CsvRecords('"', '\\', false);
    }

    private CsvRecords(int quote, int escape, boolean header) {
        this.quote = quote;
        this.escape = escape;
        this.header = header;
    }

    /** Scans {@code chunk} for the records on the lines {@code lines} (sorted), reporting each found. */
    void scanLines(Path chunk, long[] lines, Visitor visitor) {
        if (lines.length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(chunk)) {
            new Scan(lines, new long[0], visitor, true).run(in, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Scans {@code chunk}, whose reader rejected the lines {@code rejectedLines} (sorted), reporting the records
     * numbered {@code wanted} (sorted) and, when {@code toTheEnd}, every line skipped to the chunk's end (else up to
     * the last record wanted).
     */
    void scan(Path chunk, long[] wanted, long[] rejectedLines, boolean toTheEnd, Visitor visitor) {
        if (wanted.length == 0 && !toTheEnd) {
            return;
        }
        try (InputStream in = Files.newInputStream(chunk)) {
            new Scan(wanted, rejectedLines, visitor, false).run(in, toTheEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One pass: a buffer at a time, a record's bytes kept only when it may be one asked for. */
    private final class Scan {

        private final long[] wanted;
        private final long[] rejectedLines;
        private final Visitor visitor;
        /** Whether {@link #wanted} are lines (else record numbers). */
        private final boolean byLine;
        private final CsvQuotes quotes = new CsvQuotes(quote, escape);
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();
        private long line = 1;
        private long number;
        private int next;
        private long length;
        private boolean lastWasReturn;
        private boolean capture;

        Scan(long[] wanted, long[] rejectedLines, Visitor visitor, boolean byLine) {
            this.byLine = byLine;
            this.wanted = wanted;
            this.rejectedLines = rejectedLines;
            this.visitor = visitor;
            this.capture = wanted.length > 0 && wanted[0] == 1;
        }

        void run(InputStream in, boolean toTheEnd) throws IOException {
            long last = wanted.length == 0 ? Long.MAX_VALUE : wanted[wanted.length - 1];
            byte[] buffer = new byte[1 << 16];
            boolean first = true;
            int read;
            while ((toTheEnd || !past(last)) && (read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int from = 0;
                if (first && read >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB
                        && buffer[2] == (byte) 0xBF) {
                    from = 3;
                }
                first = false;
                int segment = from;
                for (int i = from; i < read; i++) {
                    int b = buffer[i] & 0xff;
                    if (b == '\n' && !quotes.inQuotes()) {
                        if (capture) {
                            text.write(buffer, segment, i - segment);
                        }
                        endRecord();
                        segment = i + 1;
                        continue;
                    }
                    quotes.read(b);
                    length++;
                    lastWasReturn = b == '\r';
                }
                if (capture) {
                    text.write(buffer, segment, read - segment);
                }
            }
            if (length > 0 && (toTheEnd || !past(last))) {
                endRecord();
            }
        }

        /** Whether the scan is past {@code last}, the last record (or line) asked for. */
        private boolean past(long last) {
            return byLine ? line > last : number >= last;
        }

        /** A record ended (at a line break outside quotes, or the chunk's end): report it, start the next. */
        private void endRecord() throws IOException {
            long bytes = length - (lastWasReturn ? 1 : 0);
            if ((header && line == 1) || bytes == 0 || Arrays.binarySearch(rejectedLines, line) >= 0) {
                visitor.skipped(line);
            } else {
                number++;
                if (capture) {
                    byte[] record = text.toByteArray();
                    visitor.record(number, line, new String(record, 0, (int) Math.min(record.length,
                            record.length - (lastWasReturn ? 1 : 0)), StandardCharsets.UTF_8));
                    next++;
                }
            }
            text.reset();
            length = 0;
            lastWasReturn = false;
            line++;
            long upcoming = byLine ? line : number + 1;
            while (next < wanted.length && wanted[next] < upcoming) {
                next++;
            }
            capture = next < wanted.length && wanted[next] == upcoming;
        }
    }
}
