package io.tributary.engine;

/**
 * Resources one engine invocation may use.
 *
 * @param memoryLimit DuckDB's memory limit, e.g. {@code "512MB"}; beyond it the engine spills to disk
 * @param threads     worker threads for one invocation
 * @param maxDecompressedBytes how far a gzip source may expand (further only up to 100 times its compressed size,
 *                    see {@link SourceDecoder}); a gzip that expands beyond fails its run before it fills the disk
 * @param maxDecodedBytes the most bytes a decoded source may take on the work dir's disk, whatever its compressed
 *                    size: decoding stops there and the run fails (see {@link SourceDecoder})
 * @param maxSpillBytes the most bytes one invocation's engine may spill to its work dir; a query that needs more
 *                    fails its run
 */
public record EngineLimits(String memoryLimit, int threads, long maxDecompressedBytes, long maxDecodedBytes,
                           long maxSpillBytes) {

    /** The default {@link #maxDecompressedBytes}: 1 GiB. */
    public static final long MAX_DECOMPRESSED_BYTES = 1L << 30;
    /** The default {@link #maxDecodedBytes}: 16 GiB. */
    public static final long MAX_DECODED_BYTES = 16L << 30;
    /** The default {@link #maxSpillBytes}: 4 GiB. */
    public static final long MAX_SPILL_BYTES = 4L << 30;
    public static final EngineLimits DEFAULT = new EngineLimits("512MB", 1);

    public EngineLimits(String memoryLimit, int threads) {
        this(memoryLimit, threads, MAX_DECOMPRESSED_BYTES);
    }

    public EngineLimits(String memoryLimit, int threads, long maxDecompressedBytes) {
        this(memoryLimit, threads, maxDecompressedBytes, MAX_DECODED_BYTES, MAX_SPILL_BYTES);
    }

    /** These limits with {@code threads} threads. */
    public EngineLimits withThreads(int threads) {
        return new EngineLimits(memoryLimit, threads, maxDecompressedBytes, maxDecodedBytes, maxSpillBytes);
    }

    /**
     * These limits shared by {@code slots} invocations running at once: the memory divided among them (in the same
     * unit), the rest as they are.
     */
    public EngineLimits sharedBy(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("the engine needs at least 1 slot, not " + slots);
        }
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(\\w+)")
                .matcher(memoryLimit);
        if (!size.matches()) {
            throw new IllegalStateException("memory limit '" + memoryLimit + "' cannot be divided");
        }
        java.math.BigDecimal each = new java.math.BigDecimal(size.group(1))
                .divide(java.math.BigDecimal.valueOf(slots), 2, java.math.RoundingMode.DOWN).stripTrailingZeros();
        return new EngineLimits(each.toPlainString() + size.group(2), threads, maxDecompressedBytes, maxDecodedBytes,
                maxSpillBytes);
    }

    /** {@link #memoryLimit} in bytes, as DuckDB reads it (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024). */
    public long memoryBytes() {
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(\\w+)")
                .matcher(memoryLimit);
        if (!size.matches()) {
            throw new IllegalStateException("memory limit '" + memoryLimit + "' cannot be read");
        }
        double unit = switch (size.group(2)) {
            case "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "KiB" -> 1024;
            case "MiB" -> 1024 * 1024;
            default -> 1024.0 * 1024 * 1024;
        };
        return (long) (Double.parseDouble(size.group(1)) * unit);
    }

    public EngineLimits {
        if (!memoryLimit.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|KiB|MiB|GiB)")) {
            throw new IllegalArgumentException("memory limit '" + memoryLimit + "' must look like 512MB or 1GB");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (maxDecompressedBytes < 1) {
            throw new IllegalArgumentException("the most decompressed bytes must be at least 1, was "
                    + maxDecompressedBytes);
        }
        if (maxDecodedBytes < 1) {
            throw new IllegalArgumentException("the most decoded bytes must be at least 1, was " + maxDecodedBytes);
        }
        if (maxSpillBytes < 1) {
            throw new IllegalArgumentException("the most spilled bytes must be at least 1, was " + maxSpillBytes);
        }
    }
}
