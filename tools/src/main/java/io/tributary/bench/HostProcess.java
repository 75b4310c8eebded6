package io.tributary.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tributary host} in a JVM of its own ({@link HostProbe}), with a 256 MB heap, on the bench's storage
 * account and definitions, running at most {@code concurrency} invocations of each queue function at once. Reads
 * its peak resident set (VmHWM) from {@code /proc} and its peak heap use from the probe's report; its output goes
 * to a log file.
 */
final class HostProcess implements AutoCloseable {

    static final String MAX_HEAP = "-Xmx256m";
    private static final int LOG_LINES = 40;

    private final Process process;
    private final Path heapReport;
    private final Path log;
    private long peakRssBytes;
    private long peakHeapBytes;

    private HostProcess(Process process, Path heapReport, Path log) {
        this.process = process;
        this.heapReport = heapReport;
        this.log = log;
    }

    /**
     * Starts the host and waits until it runs.
     *
     * @param root       the project root (host.json, node_modules)
     * @param dir        the bench's folder: definitions in {@code pipeline-defs/}, work dirs and the report here
     * @param storage    the storage account's connection string
     * @param classPath  the app's class path
     * @param hostMain   the class whose {@code main} runs the command line, {@code tributary host …} among it
     * @param log        where the host's output goes
     */
    static HostProcess start(Path root, Path dir, String storage, String classPath, String hostMain, int concurrency,
                             Path log) {
        Path heapReport = dir.resolve(log.getFileName() + ".heap");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), MAX_HEAP,
                "-D" + HostProbe.REPORT_PROPERTY + "=" + heapReport, "-Dtributary.root=" + root,
                "-cp", classPath, HostProbe.class.getName(), hostMain,
                "host", "--verbose", "--http-port", "0", "--concurrency", Integer.toString(concurrency)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AzureWebJobsStorage", storage);
        builder.environment().put("TRIBUTARY_PIPELINE_DEFS", dir.resolve("pipeline-defs").toString());
        builder.environment().put("TRIBUTARY_WORK_DIR", dir.resolve("work").toString());
        HostProcess host;
        try {
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(log.getParent());
            host = new HostProcess(builder.start(), heapReport, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the host: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host.process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!host.log().contains("\nHost running.")) {
            if (!host.process.isAlive() || System.nanoTime() > deadline) {
                host.process.destroyForcibly();
                throw new IllegalStateException("the host did not start; its output (" + log + "):\n" + tail(host.log()));
            }
            Landing.sleep(java.time.Duration.ofMillis(50));
        }
        return host;
    }

    /** What the host has printed so far. */
    String log() {
        try {
            return "\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
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
