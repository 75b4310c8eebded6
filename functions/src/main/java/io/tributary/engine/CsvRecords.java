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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Finds records of a CSV chunk by their number among the records the engine's reader returned, with the line each
 * starts on and its text exactly as written: what a rejected record needs, once its values were found wanting after
 * parsing. Lines are numbered as the reader numbers them (and {@link ChunkCutter} counts them): a line ends at a line
 * break outside quotes, so a record whose quoted field spans lines is one line. The reader returns every record but
 * the header, blank lines and the lines it rejected itself; this scan skips the same.
 */
final class CsvRecords {

    /** A record found: the line it is on in the chunk (header included) and its text, without the line break. */
    record Found(long line, String text) {
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
     * The records numbered {@code wanted} (from 1, in the order the reader returned them) in {@code chunk}, whose
     * reader rejected the lines {@code rejectedLines} itself; read in one pass, holding one record at a time.
     */
    Map<Long, Found> find(Path chunk, SortedSet<Long> wanted, Set<Long> rejectedLines) {
        Map<Long, Found> found = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        long last = wanted.last();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(chunk), 1 << 16)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            long line = 1;
            long number = 0;
            boolean inQuotes = false;
            boolean escaped = false;
            boolean first = true;
            int b;
            while (number < last) {
                b = in.read();
                if (first && b == 0xEF) {
                    in.skip(2);
                    first = false;
                    continue;
                }
                first = false;
                if (b == -1 || (b == '\n' && !inQuotes)) {
                    int length = text.size();
                    byte[] bytes = text.toByteArray();
                    if (length > 0 && bytes[length - 1] == '\r') {
                        length--;
                    }
                    boolean skipped = (header && line == 1) || length == 0 || rejectedLines.contains(line);
                    if (!skipped) {
                        number++;
                        if (wanted.contains(number)) {
                            found.put(number, new Found(line, new String(bytes, 0, length, StandardCharsets.UTF_8)));
                        }
                    }
                    if (b == -1) {
                        break;
                    }
                    text.reset();
                    line++;
                    continue;
                }
                if (escaped) {
                    escaped = false;
                } else if (inQuotes && b == escape && escape != quote) {
                    escaped = true;
                } else if (b == quote) {
                    inQuotes = !inQuotes;
                }
                text.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
