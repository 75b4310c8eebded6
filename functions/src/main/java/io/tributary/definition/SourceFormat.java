package io.tributary.definition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the source is written.
 *
 * @param format     {@code csv}, {@code jsonl} (one JSON object per line) or {@code json} (an array of objects)
 * @param header     for CSV, whether the first line names the columns (checked against them)
 * @param delimiter  for CSV, the field separator
 * @param quote      for CSV, the quote character
 * @param nullString for CSV, the text that stands for a missing value (besides an empty field)
 * @param timestampFormat how every {@code timestamp} column is written (strptime codes), empty for ISO 8601
 * @param dateFormat      how every {@code date} column is written (strptime codes), empty for ISO 8601
 */
public record SourceFormat(String format, boolean header, char delimiter, char quote, String nullString,
                           Optional<String> timestampFormat, Optional<String> dateFormat) {

    public static final List<String> FORMATS = List.of("csv", "jsonl", "json");
    /** The options that only CSV has. */
    public static final List<String> CSV_ONLY = List.of("header", "delimiter", "quote", "nullString");
    public static final SourceFormat DEFAULT =
            new SourceFormat("csv", true, ',', '"', "", Optional.empty(), Optional.empty());

    /** How a fetched source (REST, SQL) is read: the JSON Lines extract wrote. */
    public static final SourceFormat FETCHED =
            new SourceFormat("jsonl", true, ',', '"', "", Optional.empty(), Optional.empty());

    public SourceFormat {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("unknown source format '" + format + "'");
        }
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(dateFormat, "dateFormat");
    }

    public boolean isCsv() {
        return format.equals("csv");
    }
}
