package io.tributary.definition;

import java.util.List;
import java.util.Map;

/**
 * How a dataset's files are written.
 *
 * @param format      {@code parquet}, {@code csv} or {@code jsonl}
 * @param compression for Parquet {@code snappy} (default), {@code zstd}, {@code gzip} or {@code uncompressed};
 *                    for CSV and JSON Lines {@code uncompressed} (default), {@code gzip} or {@code zstd}
 */
public record Output(String format, String compression) {

    public static final List<String> FORMATS = List.of("parquet", "csv", "jsonl");
    public static final Map<String, List<String>> CODECS = Map.of(
            "parquet", List.of("snappy", "zstd", "gzip", "uncompressed"),
            "csv", List.of("uncompressed", "gzip", "zstd"),
            "jsonl", List.of("uncompressed", "gzip", "zstd"));
    public static final Output DEFAULT = new Output("parquet", "snappy");

    public Output {
        if (!FORMATS.contains(format) || !CODECS.get(format).contains(compression)) {
            throw new IllegalArgumentException("no output " + format + " with " + compression + " compression");
        }
    }

    /** The default compression of {@code format}. */
    public static String defaultCompression(String format) {
        return CODECS.get(format).get(0);
    }

    /** The files' name ending, e.g. {@code .parquet} or {@code .csv.gz}. */
    public String extension() {
        String base = format.equals("jsonl") ? ".jsonl" : "." + format;
        if (format.equals("parquet") || compression.equals("uncompressed")) {
            return base;
        }
        return base + (compression.equals("gzip") ? ".gz" : ".zst");
    }

    /** DuckDB's COPY options for this output. */
    public String copyOptions() {
        return switch (format) {
            case "parquet" -> "FORMAT parquet, COMPRESSION " + compression;
            case "csv" -> "FORMAT csv, HEADER true, COMPRESSION " + (compression.equals("uncompressed") ? "none" : compression);
            default -> "FORMAT json, COMPRESSION " + (compression.equals("uncompressed") ? "none" : compression);
        };
    }
}
