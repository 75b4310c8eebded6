package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.local.HostLog;
import io.tributary.local.LocalSettings;
import io.tributary.start.BrokenDefinition;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a running local host tells about the files it was started from: every second it reads the definitions again
 * when one changed (the catalog the functions use, so the next drop sees the same) and names each broken file with its
 * first problem; and when {@code local.settings.json} changed, which settings differ from those the host started
 * with, and that a restart applies them (app settings are read once, as {@code func start} does).
 */
final class HostWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 1000;

    private final Workspace workspace;
    private final Supplier<PipelineCatalog> catalog;
    private final HostLog log;
    private final Map<String, String> startedWith;
    private final ScheduledExecutorService timer;
    private PipelineCatalog seen;
    private Path settingsFile;
    private Optional<FileTime> settingsTime;
    private Map<String, String> settingsSeen;

    private HostWatch(Workspace workspace, Supplier<PipelineCatalog> catalog, PipelineCatalog started, HostLog log) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.log = log;
        this.seen = started;
        this.settingsFile = workspace.settingsFile();
        this.startedWith = LocalSettings.read(settingsFile);
        this.settingsSeen = startedWith;
        this.settingsTime = modified(settingsFile);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-host-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching.
     *
     * @param catalog the definitions the functions use, read again on a change when asked
     * @param started the catalog as reported at start-up: a change is a catalog other than this one
     */
    static HostWatch start(Workspace workspace, Supplier<PipelineCatalog> catalog, PipelineCatalog started, HostLog log) {
        HostWatch watch = new HostWatch(workspace, catalog, started, log);
        watch.timer.scheduleWithFixedDelay(watch::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    /** One look at the definitions and the settings file; never throws, so the watch keeps going. */
    void check() {
        try {
            PipelineCatalog now = catalog.get();
            if (!signature(now).equals(signature(seen))) {
                seen = now;
                log.notice("Definitions changed in " + relative(workspace.pipelineDefs().toString()) + ": "
                        + (now.all().isEmpty() ? "no pipeline loaded" : "loaded " + now.all().stream()
                        .map(PipelineDefinition::name).collect(Collectors.joining(", "))));
                List<BrokenDefinition> broken = BrokenDefinition.of(now);
                brokenLines(workspace, broken).forEach(log::warn);
                if (broken.isEmpty()) {
                    log.notice("  no definition is broken");
                }
            }
            checkSettings();
        } catch (RuntimeException e) {
            log.warn("cannot read the definitions or settings again: " + Main.message(e));
        }
    }

    private void checkSettings() {
        Path file = workspace.settingsFile();
        Optional<FileTime> time = modified(file);
        if (file.equals(settingsFile) && time.equals(settingsTime)) {
            return;
        }
        settingsFile = file;
        settingsTime = time;
        Map<String, String> now;
        try {
            now = LocalSettings.read(file);
        } catch (RuntimeException e) {
            log.warn(relative(file.toString()) + " changed and cannot be read (" + Main.message(e)
                    + "); the host keeps the settings it started with");
            return;
        }
        if (now.equals(settingsSeen)) {
            return;
        }
        settingsSeen = now;
        TreeSet<String> changed = new TreeSet<>(startedWith.keySet());
        changed.addAll(now.keySet());
        changed.removeIf(k -> Objects.equals(startedWith.get(k), now.get(k)));
        TreeSet<String> overridden = new TreeSet<>(changed);
        overridden.removeIf(k -> System.getenv(k) == null);
        changed.removeAll(overridden);
        if (!overridden.isEmpty()) {
            log.notice(relative(file.toString()) + " changed " + String.join(", ", overridden) + ", which the "
                    + "environment sets: the environment wins");
        }
        if (changed.isEmpty() && overridden.isEmpty()) {
            log.notice(relative(file.toString()) + " is back to the settings the host started with");
        } else if (!changed.isEmpty()) {
            log.warn(relative(file.toString()) + " changed (" + String.join(", ", changed) + "); the host keeps the "
                    + "settings it started with: restart it (Ctrl-C, then 'tributary host') to apply them");
        }
    }

    /** One line per broken definition: its file (relative to the project) and first problem. */
    static List<String> brokenLines(Workspace workspace, List<BrokenDefinition> broken) {
        return broken.stream().map(b -> "  broken, not loaded: " + relative(workspace, b.firstProblem())
                + (b.problems().size() == 1 ? "" : " (and " + (b.problems().size() - 1) + " more; 'tributary "
                + "validate' lists them)")).toList();
    }

    private String relative(String path) {
        return relative(workspace, path);
    }

    private static String relative(Workspace workspace, String path) {
        String root = workspace.root() + File.separator;
        return path.startsWith(root) ? path.substring(root.length()) : path;
    }

    /** What a report tells of a catalog: each pipeline's definition and each problem. */
    private static List<String> signature(PipelineCatalog catalog) {
        List<String> signature = new java.util.ArrayList<>(catalog.all().stream().map(PipelineDefinition::hash).toList());
        catalog.problems().forEach(p -> signature.add(p.format()));
        return signature;
    }

    private static Optional<FileTime> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
