package io.tributary.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much data the bench generates for each throughput measurement: {@code 200MB}, {@code 1.5GB}, {@code 512KB}
 * (decimal units; {@code MiB}, {@code GiB}, {@code KiB} binary), or a plain number of bytes.
 *
 * @param bytes the size in bytes
 */
public record BenchSize(long bytes) {

    /** The default: finishes in two to four minutes on two cores. */
    public static final BenchSize DEFAULT = new BenchSize(200_000_000L);
    /** Below this the throughputs measure little but start-up costs. */
    public static final long MIN_BYTES = 1_000_000L;

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|KIB|MIB|GIB)?");

    public BenchSize {
        if (bytes < MIN_BYTES) {
            throw new IllegalArgumentException("the bench size must be at least 1MB, was " + bytes + " bytes");
        }
    }

    /** Parses {@code text}; an {@link IllegalArgumentException} says what is accepted. */
    public static BenchSize parse(String text) {
        Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--size takes a size such as 200MB, 1GB or 512MiB; got '" + text + "'");
        }
        double number = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            default -> 1L;
        };
        return new BenchSize(Math.round(number * unit));
    }

    public double megabytes() {
        return bytes / 1e6;
    }

    @Override
    public String toString() {
        return bytes % 1_000_000_000L == 0 ? bytes / 1_000_000_000L + "GB"
                : bytes % 1_000_000L == 0 ? bytes / 1_000_000L + "MB"
                : String.format(Locale.ROOT, "%.1fMB", megabytes());
    }
}
