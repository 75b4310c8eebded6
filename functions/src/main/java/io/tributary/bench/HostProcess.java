package io.tributary.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code tributary host} in a JVM of its own ({@link HostProbe}), with a 256 MB heap, on the bench's storage
 * account and definitions, running at most {@code concurrency} invocations of each queue function at once. Reads
 * its peak resident set (VmHWM) from {@code /proc} and its peak heap use from the probe's report.
 */
final class HostProcess implements AutoCloseable {

    static final String MAX_HEAP = "-Xmx256m";
    private static final int LOG_LINES = 40;

    private final Process process;
    private final Path heapReport;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private long peakRssBytes;
    private long peakHeapBytes;

    private HostProcess(Process process, Path heapReport) {
        this.process = process;
        this.heapReport = heapReport;
    }

    /**
     * Starts the host and waits until it runs.
     *
     * @param root       the project root (host.json, node_modules)
     * @param dir        the bench's folder: definitions in {@code pipeline-defs/}, work dirs and the report here
     * @param storage    the storage account's connection string
     * @param classPath  the app's class path
     */
    static HostProcess start(Path root, Path dir, String storage, String classPath, int concurrency) {
        Path heapReport = dir.resolve("heap-" + concurrency + ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), MAX_HEAP,
                "-D" + HostProbe.REPORT_PROPERTY + "=" + heapReport, "-Dtributary.root=" + root,
                "-cp", classPath, HostProbe.class.getName(),
                "host", "--http-port", "0", "--concurrency", Integer.toString(concurrency)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("AzureWebJobsStorage", storage);
        builder.environment().put("TRIBUTARY_PIPELINE_DEFS", dir.resolve("pipeline-defs").toString());
        builder.environment().put("TRIBUTARY_WORK_DIR", dir.resolve("work").toString());
        HostProcess host;
        try {
            Files.createDirectories(dir.resolve("work"));
            host = new HostProcess(builder.start(), heapReport);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the host: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host.process::destroyForcibly));
        Thread reader = new Thread(host::read, "bench-host-output");
        reader.setDaemon(true);
        reader.start();
        try {
            host.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            host.process.destroyForcibly();
            throw new IllegalStateException("the host did not start: " + e.getMessage() + "\n" + host.log());
        }
        return host;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > LOG_LINES) {
                        lastLines.removeFirst();
                    }
                }
                if (line.startsWith("Host running.")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        ready.completeExceptionally(new IllegalStateException("the host exited"));
    }

    /** The host's last lines of output. */
    String log() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The most memory the host's process has had resident so far (VmHWM), in bytes. */
    long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssBytes = Math.max(peakRssBytes, Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone (or this is no Linux): the last reading stands
        }
        return peakRssBytes;
    }

    /** The most heap the host has had in use so far, in bytes. */
    long peakHeap() {
        peakHeapBytes = Math.max(peakHeapBytes, HostProbe.read(heapReport));
        return peakHeapBytes;
    }

    /** Stops the host as Ctrl-C would, after a last reading of its peaks. */
    @Override
    public void close() {
        peakRss();
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peakHeap();
    }
}
