package io.tributary.local;

import io.tributary.storage.StorageAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite, the Azure Storage emulator, installed from npm into the project's {@code node_modules}
 * and run on loopback. {@link #startOwned} starts one that lives as long as its owner (tests);
 * {@link #ensureEmbedded} starts or reuses the project's own, which keeps its data under
 * {@code .tributary/} and keeps running between commands.
 */
public final class Azurite implements AutoCloseable {

    public static final int[] CONVENTIONAL_PORTS = {10000, 10001, 10002};
    private static final Pattern LISTENING =
            Pattern.compile("Azurite (Blob|Queue|Table) service is successfully listening at http://[^:]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final long pid;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;
    private final boolean owned;

    private Azurite(Process process, long pid, int blobPort, int queuePort, int tablePort, boolean owned) {
        this.process = process;
        this.pid = pid;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
        this.owned = owned;
    }

    /** Starts an Azurite on free ports with its data in {@code dataDir}; {@link #close()} stops it. */
    public static Azurite startOwned(Path projectRoot, Path dataDir) {
        return startOwned(projectRoot, dataDir, 0, 0, 0);
    }

    /**
     * Starts an Azurite on the given loopback ports (0: a free one) with its data in {@code dataDir}; {@link #close()}
     * stops it. Started again on the ports and folder of one that stopped, it serves what that one stored.
     */
    public static Azurite startOwned(Path projectRoot, Path dataDir, int blobPort, int queuePort, int tablePort) {
        Path log = dataDir.resolve("azurite.log");
        Process process = launch(projectRoot, dataDir, new int[] {blobPort, queuePort, tablePort}, log);
        int[] ports = awaitPorts(process, log);
        return new Azurite(process, process.pid(), ports[0], ports[1], ports[2], true);
    }

    /**
     * The project's embedded Azurite: the one already running for {@code stateDir}, or a new one,
     * on ports 10000-10002 when they are free. It keeps running when this JVM exits.
     *
     * @param started told whether this call started it
     */
    public static Azurite ensureEmbedded(Path projectRoot, Path stateDir, java.util.function.Consumer<String> started) {
        Optional<Azurite> running = readState(stateDir);
        if (running.isPresent()) {
            return running.get();
        }
        try {
            Files.createDirectories(stateDir.resolve("azurite"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] wanted = allFree(CONVENTIONAL_PORTS) ? CONVENTIONAL_PORTS : new int[] {0, 0, 0};
        Path log = stateDir.resolve("azurite.log");
        Process process = launch(projectRoot, stateDir.resolve("azurite"), wanted, log);
        int[] ports = awaitPorts(process, log);
        Azurite azurite = new Azurite(null, process.pid(), ports[0], ports[1], ports[2], false);
        azurite.writeState(stateDir);
        started.accept("Started Azurite (pid " + process.pid() + ") on 127.0.0.1, blob port " + ports[0] + ", queue "
                + ports[1] + ", table " + ports[2] + (wanted == CONVENTIONAL_PORTS ? "" : " (10000-10002 are taken)")
                + ", data in " + stateDir.resolve("azurite") + ", log in " + log);
        return azurite;
    }

    /** Stops the embedded Azurite of {@code stateDir}; returns false when none was running. */
    public static boolean stopEmbedded(Path stateDir) {
        Optional<Azurite> running = readState(stateDir);
        running.ifPresent(a -> ProcessHandle.of(a.pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        }));
        try {
            Files.deleteIfExists(stateDir.resolve("azurite.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return running.isPresent();
    }

    public String connectionString() {
        return StorageAccount.azuriteConnectionString("127.0.0.1", blobPort, queuePort, tablePort);
    }

    public int blobPort() {
        return blobPort;
    }

    public int queuePort() {
        return queuePort;
    }

    public int tablePort() {
        return tablePort;
    }

    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        if (owned && process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Process launch(Path projectRoot, Path dataDir, int[] ports, Path log) {
        Path executable = projectRoot.resolve("node_modules/.bin/azurite");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Azurite is not installed in " + projectRoot.resolve("node_modules")
                    + ": run 'npm ci' in " + projectRoot.toAbsolutePath() + " (./tributary does it on first use)");
        }
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--silent", "--skipApiVersionCheck",
                "--disableTelemetry", "--location", dataDir.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(ports[0]),
                "--queueHost", "127.0.0.1", "--queuePort", String.valueOf(ports[1]),
                "--tableHost", "127.0.0.1", "--tablePort", String.valueOf(ports[2])));
        try {
            Files.createDirectories(dataDir);
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Azurite (" + executable + "): " + e.getMessage(), e);
        }
    }

    private static int[] awaitPorts(Process process, Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        int[] ports = new int[3];
        while (Instant.now().isBefore(deadline)) {
            String text;
            try {
                text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = LISTENING.matcher(text);
            while (m.find()) {
                int index = switch (m.group(1)) {
                    case "Blob" -> 0;
                    case "Queue" -> 1;
                    default -> 2;
                };
                ports[index] = Integer.parseInt(m.group(2));
            }
            if (ports[0] > 0 && ports[1] > 0 && ports[2] > 0) {
                return ports;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited at start-up (code " + process.exitValue() + "): "
                        + text.strip().lines().reduce((a, b) -> b).orElse("no output") + " (log: " + log + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Azurite started");
            }
        }
        process.destroy();
        throw new IllegalStateException("Azurite did not start within " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private void writeState(Path stateDir) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("blobPort", Integer.toString(blobPort));
        p.setProperty("queuePort", Integer.toString(queuePort));
        p.setProperty("tablePort", Integer.toString(tablePort));
        try (var out = Files.newOutputStream(stateDir.resolve("azurite.properties"))) {
            p.store(out, "the embedded Azurite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Azurite> readState(Path stateDir) {
        Path file = stateDir.resolve("azurite.properties");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = Long.parseLong(p.getProperty("pid", "0"));
        int blob = Integer.parseInt(p.getProperty("blobPort", "0"));
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive || !answers(blob)) {
            return Optional.empty();
        }
        return Optional.of(new Azurite(null, pid, blob, Integer.parseInt(p.getProperty("queuePort")),
                Integer.parseInt(p.getProperty("tablePort")), false));
    }

    /** Whether something accepts connections on loopback {@code port}. */
    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean allFree(int[] ports) {
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
