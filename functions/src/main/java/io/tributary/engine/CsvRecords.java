package io.tributary.engine;

import io.tributary.definition.SourceFormat;
import java.io.BufferedInputStream;
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
        this.quote = csv.quote();
        this.escape = csv.escape();
        this.header = csv.header();
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
        long last = wanted.length == 0 ? Long.MAX_VALUE : wanted[wanted.length - 1];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(chunk), 1 << 16)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            long line = 1;
            long number = 0;
            int next = 0;
            CsvQuotes quotes = new CsvQuotes(quote, escape);
            boolean first = true;
            while (toTheEnd || number < last) {
                int b = in.read();
                if (first && b == 0xEF) {
                    in.skip(2);
                    first = false;
                    continue;
                }
                first = false;
                if (b == -1 || (b == '\n' && !quotes.inQuotes())) {
                    int length = text.size();
                    byte[] bytes = text.toByteArray();
                    if (length > 0 && bytes[length - 1] == '\r') {
                        length--;
                    }
                    if (b == -1 && length == 0) {
                        break;
                    }
                    if ((header && line == 1) || length == 0 || Arrays.binarySearch(rejectedLines, line) >= 0) {
                        visitor.skipped(line);
                    } else {
                        number++;
                        while (next < wanted.length && wanted[next] < number) {
                            next++;
                        }
                        if (next < wanted.length && wanted[next] == number) {
                            visitor.record(number, line, new String(bytes, 0, length, StandardCharsets.UTF_8));
                        }
                    }
                    if (b == -1) {
                        break;
                    }
                    text.reset();
                    line++;
                    continue;
                }
                quotes.read(b);
                text.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
