package io.tributary.definition.source;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the source is written.
 *
 * @param format      {@code csv}, {@code jsonl} (one JSON object per line), {@code json} (an array of objects, or a
 *                    document holding one at {@code recordsPath}) or {@code parquet}
 * @param header      for CSV, whether the first line names the columns (checked against them)
 * @param delimiter   for CSV, the field separator
 * @param quote       for CSV, the quote character
 * @param escape      for CSV, the character that, before a quote inside a quoted field, makes it stand for itself
 *                    (by default the quote itself: a doubled quote)
 * @param nullString  for CSV, the text that stands for a missing value (besides an unquoted empty field)
 * @param quotedEmpty for CSV, what a quoted empty field ({@code ""}) is in a string column: {@code string}, the
 *                    empty string (the default), or {@code null}, a missing value
 * @param encoding    for text formats, the character set of the bytes (a name Java knows; UTF-8 by default)
 * @param compression {@code auto} (gzip when the bytes start with gzip's magic number, whatever the name),
 *                    {@code gzip} or {@code none}
 * @param recordsPath for JSON, the JSON Pointer of the array of records inside the document; empty for a
 *                    document that is the array
 * @param timestampFormat how every {@code timestamp} column is written (strptime codes), empty for ISO 8601
 * @param dateFormat      how every {@code date} column is written (strptime codes), empty for ISO 8601
 */
public record SourceFormat(String format, boolean header, char delimiter, char quote, char escape, String nullString,
                           String quotedEmpty, String encoding, String compression, Optional<String> recordsPath,
                           Optional<String> timestampFormat, Optional<String> dateFormat) {

    public static final List<String> FORMATS = List.of("csv", "jsonl", "json", "parquet");
    public static final List<String> COMPRESSIONS = List.of("auto", "gzip", "none");
    public static final List<String> QUOTED_EMPTY = List.of("string", "null");
    public static final String UTF_8 = "utf-8";
    /** Each option that some formats lack, with the formats that have it. */
    public static final Map<String, List<String>> FORMAT_OPTIONS = Map.of(
            "header", List.of("csv"), "delimiter", List.of("csv"), "quote", List.of("csv"),
            "escape", List.of("csv"), "nullString", List.of("csv"), "quotedEmpty", List.of("csv"), "encoding", List.of("csv", "jsonl", "json"),
            "recordsPath", List.of("json"));
    public static final SourceFormat DEFAULT = new SourceFormat("csv", true, ',', '"', '"', "", "string", UTF_8, "auto",
            Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * How a fetched source (REST, SQL) is read: the JSON Lines extract wrote, with the source's formats of times
     * written as text.
     */
    public static SourceFormat fetched(Optional<String> timestampFormat, Optional<String> dateFormat) {
        return new SourceFormat("jsonl", true, ',', '"', '"', "", "string", UTF_8, "none", Optional.empty(), timestampFormat,
                dateFormat);
    }

    /**
     * How a transform job's output is read: files of {@code format} ({@code parquet}, {@code csv} with a header line,
     * or {@code jsonl}), UTF-8, times in ISO 8601 unless the source's formats say otherwise.
     */
    public SourceFormat jobOutput(String format) {
        return new SourceFormat(format, true, ',', '"', '"', "", "string", UTF_8, "auto", Optional.empty(),
                timestampFormat, dateFormat);
    }

    /**
     * This source as extract decodes it before cutting it into chunks: uncompressed UTF-8, a JSON document's records
     * as JSON Lines (one per line, in order, so a line is a record's position), every other option as it was.
     */
    public SourceFormat decoded() {
        return new SourceFormat(format.equals("json") ? "jsonl" : format, header, delimiter, quote, escape, nullString,
                quotedEmpty, UTF_8, "none", Optional.empty(), timestampFormat, dateFormat);
    }

    public SourceFormat {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("unknown source format '" + format + "'");
        }
        if (!QUOTED_EMPTY.contains(quotedEmpty)) {
            throw new IllegalArgumentException("unknown quotedEmpty '" + quotedEmpty + "'");
        }
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("unknown source compression '" + compression + "'");
        }
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(recordsPath, "recordsPath");
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(dateFormat, "dateFormat");
    }

    public boolean isCsv() {
        return format.equals("csv");
    }

    public boolean isParquet() {
        return format.equals("parquet");
    }

    /** Whether the records are JSON objects, one per line once decoded: JSON Lines, or JSON records at a path. */
    public boolean isJsonLines() {
        return format.equals("jsonl") || (format.equals("json") && recordsPath.isPresent());
    }

    /** Whether the bytes are text in {@link #encoding}. */
    public boolean isText() {
        return !isParquet();
    }
}
