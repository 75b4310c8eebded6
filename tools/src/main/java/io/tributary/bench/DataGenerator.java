package io.tributary.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Writes a CSV file of about a given size: a header, then clean rows with a share of dirty ones
 * ({@link Dirt}, each kind equally often), the same file for the same seed.
 */
public abstract class DataGenerator {

    /** The share of dirty rows unless told otherwise: 4 %, 1 % of each kind. */
    public static final double DEFAULT_DIRTY_SHARE = 0.04;
    private static final long PROGRESS_EVERY = 64L << 20;

    private final double dirtyShare;

    protected DataGenerator(double dirtyShare) {
        if (dirtyShare < 0 || dirtyShare > 0.5) {
            throw new IllegalArgumentException("the dirty share must be 0..0.5, was " + dirtyShare);
        }
        this.dirtyShare = dirtyShare;
    }

    /** The header line, without its line break. */
    protected abstract String header();

    /**
     * Appends row {@code index} without its line break: clean when {@code dirt} is null, else dirty in that way.
     *
     * @param previous the last clean row written (a {@link Dirt#DUPLICATE} repeats its key), never null for dirt
     */
    protected abstract void row(StringBuilder row, SplittableRandom random, long index, Dirt dirt, String previous);

    /** Writes {@code file} of at least {@code targetBytes}; {@code progress} hears the bytes written now and then. */
    public Generated generate(Path file, long targetBytes, long seed, LongConsumer progress) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<Dirt, Long> dirty = new EnumMap<>(Dirt.class);
        Dirt[] kinds = Dirt.values();
        StringBuilder row = new StringBuilder(256);
        String previous = null;
        long bytes;
        long rows = 0;
        long reported = 0;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] head = (header() + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(head);
            bytes = head.length;
            while (bytes < targetBytes) {
                row.setLength(0);
                Dirt dirt = previous != null && random.nextDouble() < dirtyShare ? kinds[random.nextInt(kinds.length)]
                        : null;
                row(row, random, rows, dirt, previous);
                if (dirt == null) {
                    previous = row.toString();
                } else {
                    dirty.merge(dirt, 1L, Long::sum);
                }
                row.append('\n');
                byte[] line = row.toString().getBytes(StandardCharsets.UTF_8);
                out.write(line);
                bytes += line.length;
                rows++;
                if (bytes - reported >= PROGRESS_EVERY) {
                    reported = bytes;
                    progress.accept(bytes);
                }
            }
        }
        progress.accept(bytes);
        return new Generated(file, rows, bytes, dirty);
    }

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    /** Appends {@code epochSecond} as {@code yyyy-MM-dd HH:mm:ss} (UTC wall clock). */
    protected void timestamp(StringBuilder out, long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = java.time.LocalDate.ofEpochDay(day).toString();
        }
        long second = epochSecond - day * 86_400L;
        out.append(cachedDate).append(' ');
        two(out, second / 3600);
        out.append(':');
        two(out, second / 60 % 60);
        out.append(':');
        two(out, second % 60);
    }

    private static void two(StringBuilder out, long value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    /** {@code value} with {@code decimals} digits after the point (no exponent, no locale). */
    static void decimal(StringBuilder out, double value, int decimals) {
        long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / scale).append('.');
        String fraction = Long.toString(scaled % scale);
        for (int i = fraction.length(); i < decimals; i++) {
            out.append('0');
        }
        out.append(fraction);
    }
}
