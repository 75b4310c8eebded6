package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the bench runs on, in one line: cores, memory, processor, Java. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        long memKb = field(Path.of("/proc/meminfo"), "MemTotal:").map(v -> Long.parseLong(v.replaceAll("\\D", "")))
                .orElse(0L);
        String cpu = field(Path.of("/proc/cpuinfo"), "model name").map(v -> v.replaceFirst("^\\s*:\\s*", ""))
                .orElse(System.getProperty("os.arch"));
        return String.format("%d cores, %.0f GiB memory, %s; Java %s, %s %s", Runtime.getRuntime().availableProcessors(),
                memKb / 1024.0 / 1024.0, cpu, System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    /** The load averages over 1, 5 and 15 minutes ({@code /proc/loadavg}): how busy the machine is besides. */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static java.util.Optional<String> field(Path file, String name) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(name)).findFirst().map(l -> l.substring(name.length()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
