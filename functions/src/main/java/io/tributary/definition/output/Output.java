package io.tributary.definition.output;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a dataset's files are written.
 *
 * @param format      {@code parquet}, {@code csv} or {@code jsonl}
 * @param compression for Parquet {@code snappy} (default), {@code zstd}, {@code gzip} or {@code uncompressed};
 *                    for CSV and JSON Lines {@code uncompressed} (default), {@code gzip} or {@code zstd}
 * @param partitionBy columns whose values make Hive-style folders ({@code region=north/}) inside each split
 * @param targetFileBytes the size at which a file is closed and the next begun (at a row-group boundary)
 * @param table       the Delta Lake table each run commits a version of; null for a dataset per run
 * @param azureml     where each table version is registered as Azure Machine Learning data assets; null for nowhere
 */
public record Output(String format, String compression, List<String> partitionBy, long targetFileBytes,
                     TableOutput table, AzureMlOutput azureml) {

    public static final List<String> FORMATS = List.of("parquet", "csv", "jsonl");
    public static final Map<String, List<String>> CODECS = Map.of(
            "parquet", List.of("snappy", "zstd", "gzip", "uncompressed"),
            "csv", List.of("uncompressed", "gzip", "zstd"),
            "jsonl", List.of("uncompressed", "gzip", "zstd"));
    public static final long DEFAULT_TARGET_FILE_BYTES = 256L * 1024 * 1024;
    public static final Output DEFAULT = new Output("parquet", "snappy", List.of(), DEFAULT_TARGET_FILE_BYTES, null,
            null);

    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(KB|MB|GB)");

    public Output {
        if (!FORMATS.contains(format) || !CODECS.get(format).contains(compression)) {
            throw new IllegalArgumentException("no output " + format + " with " + compression + " compression");
        }
        partitionBy = List.copyOf(partitionBy);
        if (targetFileBytes < 1024) {
            throw new IllegalArgumentException("a target file size below 1KB, " + targetFileBytes + " bytes");
        }
        if (table != null && !format.equals("parquet")) {
            throw new IllegalArgumentException("a Delta table holds Parquet files, not " + format);
        }
        if (azureml != null && table == null) {
            throw new IllegalArgumentException("data assets are registered for a table's versions");
        }
    }

    public Output(String format, String compression) {
        this(format, compression, List.of(), DEFAULT_TARGET_FILE_BYTES, null, null);
    }

    /** Where the table's versions are registered as data assets, if anywhere. */
    public java.util.Optional<AzureMlOutput> azureMlOutput() {
        return java.util.Optional.ofNullable(azureml);
    }

    /** The Delta Lake table the runs commit to, or empty when each run commits a dataset of its own. */
    public java.util.Optional<TableOutput> tableOutput() {
        return java.util.Optional.ofNullable(table);
    }

    /**
     * Bytes of a size written as {@code 128MB} (binary units: 1MB is 1024 × 1024 bytes).
     *
     * @throws IllegalArgumentException when {@code text} is not such a size
     */
    public static long parseSize(String text) {
        Matcher size = SIZE.matcher(text.strip().toUpperCase(java.util.Locale.ROOT));
        if (!size.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write a whole number and KB, MB or GB, "
                    + "e.g. \"256MB\"");
        }
        int shift = switch (size.group(2)) {
            case "KB" -> 10;
            case "MB" -> 20;
            default -> 30;
        };
        return Long.parseLong(size.group(1)) << shift;
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
