package io.tributary.engine;

/**
 * Whether a CSV's bytes, read one by one, stand inside a quoted field: the quote character opens and closes one and,
 * doubled or after the escape character, stands for itself. Where a record ends (a line break outside quotes) is
 * found in the raw bytes this way, by the cutter and by the scan that finds a rejected record's text.
 */
final class CsvQuotes {

    private final int quote;
    private final int escape;
    private boolean inQuotes;
    private boolean escaped;

    CsvQuotes(int quote, int escape) {
        this.quote = quote;
        this.escape = escape;
    }

    /** Reads the next byte. */
    void read(int b) {
        if (escaped) {
            escaped = false;
        } else if (inQuotes && b == escape && escape != quote) {
            escaped = true;
        } else if (b == quote) {
            inQuotes = !inQuotes;
        }
    }

    /** Whether the bytes read so far leave a quoted field open. */
    boolean inQuotes() {
        return inQuotes;
    }
}
