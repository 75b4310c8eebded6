package io.tributary.definition;

/**
 * How the source's CSV is written.
 *
 * @param header     whether the first line names the columns (it is skipped, not checked against them)
 * @param delimiter  the field separator
 * @param quote      the quote character
 * @param nullString the text that stands for a missing value (besides an empty field)
 */
public record CsvFormat(boolean header, char delimiter, char quote, String nullString) {
    public static final CsvFormat DEFAULT = new CsvFormat(true, ',', '"', "");
}
