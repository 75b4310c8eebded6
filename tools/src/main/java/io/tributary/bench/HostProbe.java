package io.tributary.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The entry point of the host JVM the bench measures: {@code tributary host} as it is (the command line's main class,
 * named by the first argument, given the rest), with its peak heap use ({@link HeapPeak}) written to the file {@code -Dtributary.bench.heapReport} names every 100 ms and
 * when the JVM exits, as a number of bytes.
 */
public final class HostProbe {

    static final String REPORT_PROPERTY = "tributary.bench.heapReport";

    private HostProbe() {
    }

    public static void main(String[] args) {
        Path report = Path.of(System.getProperty(REPORT_PROPERTY));
        HeapPeak heap = HeapPeak.start(10);
        Thread writer = new Thread(() -> {
            while (true) {
                write(report, heap.bytes());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tributary-heap-report");
        writer.setDaemon(true);
        writer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> write(report, heap.bytes())));
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + args[0] + ": " + e, e);
        }
    }

    private static void write(Path report, long bytes) {
        try {
            Path next = report.resolveSibling(report.getFileName() + "." + Thread.currentThread().getId());
            Files.writeString(next, Long.toString(bytes), StandardCharsets.UTF_8);
            Files.move(next, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the next write tries again
        }
    }

    /** Reads a report {@link #main} wrote: the peak heap use in bytes, or 0 when there is none yet. */
    static long read(Path report) {
        try {
            return Files.exists(report) ? Long.parseLong(Files.readString(report, StandardCharsets.UTF_8).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
