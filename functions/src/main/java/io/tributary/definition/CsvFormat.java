package io.tributary.definition;

import java.util.Objects;
import java.util.Optional;

/**
 * How the source's CSV is written.
 *
 * @param header     whether the first line names the columns (it is skipped, not checked against them)
 * @param delimiter  the field separator
 * @param quote      the quote character
 * @param nullString the text that stands for a missing value (besides an empty field)
 * @param timestampFormat how every {@code timestamp} column is written (strptime codes), empty for ISO 8601
 * @param dateFormat      how every {@code date} column is written (strptime codes), empty for ISO 8601
 */
public record CsvFormat(boolean header, char delimiter, char quote, String nullString, Optional<String> timestampFormat,
                        Optional<String> dateFormat) {
    public static final CsvFormat DEFAULT = new CsvFormat(true, ',', '"', "", Optional.empty(), Optional.empty());

    public CsvFormat {
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(dateFormat, "dateFormat");
    }
}
