package io.tributary.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The work root ({@code TRIBUTARY_WORK_DIR}), shared by the processes of one machine: each keeps its invocations'
 * work dirs in a folder of its own, named for it — {@code proc-{pid}-{start}}, its start in epoch milliseconds, so
 * that a process that reuses the pid of a dead one is not taken for it. An invocation deletes its work dir when it
 * ends, however it ends; one whose process is killed (a crash, the out-of-memory killer, a host that restarts its
 * worker) cannot, so a process sweeps, as it starts, the folders of the processes that are gone: a crash loop leaves
 * at most the work of the process killed last, besides that of the processes running. Entries of another shape are
 * swept once untouched for {@link #STALE}: work dirs kept at the root itself by an earlier version.
 *
 * <p>A pid names a process on one machine only: the root must be on a disk of the machine's own (the temp dir by
 * default), not on a share between instances.
 */
public final class WorkRoot {

    /** How long an entry of the root that is not a process's folder stays untouched before it is swept. */
    public static final Duration STALE = Duration.ofHours(1);
    /** Start times that differ by less than this are one start: the platform may compute them twice. */
    private static final long SAME_START_MILLIS = 1000;
    private static final Pattern PROCESS_FOLDER = Pattern.compile("proc-(\\d+)-(\\d+)");

    private WorkRoot() {
    }

    /** What a sweep deleted: the folders, and the bytes they held. */
    public record Swept(List<Path> folders, long bytes) {
    }

    /**
     * This process's folder under {@code root}, created, after sweeping the folders of processes that are gone. A root
     * that cannot be used (not a folder, not writable) is left as it is: each invocation then fails as it makes its
     * work dir, saying why, while the functions that need no work dir go on.
     *
     * @param now the time, to judge entries of another shape by
     * @param swept told what was swept, when something was
     */
    public static Path claim(Path root, Instant now, java.util.function.Consumer<Swept> swept) {
        Path own = root.resolve(folderName(ProcessHandle.current()));
        try {
            Files.createDirectories(root);
            Swept done = sweep(root, now);
            if (!done.folders().isEmpty()) {
                swept.accept(done);
            }
            Files.createDirectories(own);
        } catch (IOException | UncheckedIOException e) {
            // Reported by the invocations that need it.
        }
        return own;
    }

    /** The name of {@code process}'s folder. */
    static String folderName(ProcessHandle process) {
        return "proc-" + process.pid() + "-" + startMillis(process).orElse(0L);
    }

    /**
     * Deletes the folders under {@code root} of processes that are no longer running, and the entries of another shape
     * untouched for {@link #STALE} before {@code now}.
     */
    static Swept sweep(Path root, Instant now) {
        List<Path> swept = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                if (abandoned(entry, now)) {
                    long held = size(entry);
                    try {
                        WorkDirs.delete(entry);
                    } catch (UncheckedIOException e) {
                        continue; // another process starting sweeps it too: its files went while this walk listed them
                    }
                    bytes += held;
                    swept.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Swept(swept, bytes);
    }

    private static boolean abandoned(Path entry, Instant now) {
        Matcher folder = PROCESS_FOLDER.matcher(entry.getFileName().toString());
        if (folder.matches()) {
            return !running(Long.parseLong(folder.group(1)), Long.parseLong(folder.group(2)));
        }
        try {
            return Files.getLastModifiedTime(entry).toInstant().isBefore(now.minus(STALE));
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /** Whether process {@code pid}, started at {@code startMillis} (0: unknown), is running. */
    static boolean running(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Long> started = startMillis(process.get());
        return startMillis == 0 || started.isEmpty() || Math.abs(started.get() - startMillis) < SAME_START_MILLIS;
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static long size(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
