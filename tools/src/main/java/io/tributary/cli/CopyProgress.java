package io.tributary.cli;

import io.tributary.table.TableExport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How far a download of many files has got, for exports that take a while: a line every few seconds with the files
 * and bytes done ({@code   copied 120 of 400 files, 1.2 of 3.9 GB}); a download done within the first interval prints
 * nothing.
 */
final class CopyProgress implements TableExport.Progress {

    static final long INTERVAL_MS = 2000;

    private final PrintStream out;
    private final LongSupplier millis;
    private long last;

    /** @param millis the time, in ms */
    CopyProgress(PrintStream out, LongSupplier millis) {
        this.out = out;
        this.millis = millis;
        this.last = millis.getAsLong();
    }

    @Override
    public void copied(int files, int totalFiles, long bytes, long totalBytes) {
        long now = millis.getAsLong();
        if (now - last < INTERVAL_MS || files == totalFiles) {
            return;
        }
        last = now;
        out.println("  copied " + files + " of " + totalFiles + " files, " + size(bytes, totalBytes));
    }

    /** {@code bytes} of {@code total}, in the unit that suits the total: {@code 1.2 of 3.9 GB}. */
    static String size(long bytes, long total) {
        int unit = unit(total);
        return unit == 0 ? bytes + " of " + total + " bytes"
                : String.format(Locale.ROOT, "%.1f of %.1f %s", scaled(bytes, unit), scaled(total, unit), UNITS[unit]);
    }

    /** An amount of bytes in the unit that suits it: {@code 3.9 GB}, {@code 512 bytes}. */
    static String size(long bytes) {
        int unit = unit(bytes);
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", scaled(bytes, unit), UNITS[unit]);
    }

    private static final String[] UNITS = {"bytes", "kB", "MB", "GB", "TB"};

    private static int unit(long bytes) {
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes / Math.pow(1000, unit) >= 1000) {
            unit++;
        }
        return unit;
    }

    private static double scaled(long bytes, int unit) {
        return bytes / Math.pow(1000, unit);
    }
}
