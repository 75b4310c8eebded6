package io.tributary.definition.job;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's values a job's parameters may name as {@code ${name}}: every job has the run's own; the transform job the
 * input it reads and the folder it writes; a job after the commit the dataset (or table version) the run committed.
 * URIs are {@code abfss://} paths ({@code .uri}) or https blob URLs ({@code .url}) in the app's storage account.
 */
public final class JobPlaceholders {

    /** {@code ${name}}: letters, digits, {@code .}, {@code _} and {@code -}. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9._-]*)}");

    /** Every job's: the run, its pipeline, its window (scheduled runs; empty otherwise), what started it. */
    public static final List<String> RUN = List.of("run.id", "pipeline", "window.start", "window.end", "source.uri",
            "source.url");
    /** The transform job's besides: what it reads (the file dropped, or the source fetched) and where it writes. */
    public static final List<String> TRANSFORM = List.of("input.uri", "input.url", "output.uri", "output.url");
    /**
     * An {@code onCommit} job's besides: the committed dataset (the run's folder, or the pipeline's table), its
     * version (the table's version; the run id of a per-run dataset), its manifest, and each split's {@code MLTable}
     * folder as {@code split.NAME.uri}.
     */
    public static final List<String> COMMITTED = List.of("dataset.uri", "dataset.url", "dataset.version",
            "manifest.uri", "manifest.url");
    /** {@code split.train.uri}, {@code split.validation.url}, …: a split's folder (with its {@code MLTable}). */
    public static final Pattern SPLIT = Pattern.compile("split\\.([a-z][a-z0-9_-]*)\\.(uri|url)");

    private JobPlaceholders() {
    }

    /** The names {@code text} holds as {@code ${name}}, in order, once each. */
    public static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The names a job may use where it is: the transform, or after the commit. */
    public static List<String> allowed(boolean transform) {
        List<String> allowed = new java.util.ArrayList<>(RUN);
        allowed.addAll(transform ? TRANSFORM : COMMITTED);
        if (!transform) {
            allowed.add("split.NAME.uri");
            allowed.add("split.NAME.url");
        }
        return allowed;
    }

    /** Whether a job (the transform, or after the commit) may name {@code name}. */
    public static boolean isAllowed(String name, boolean transform) {
        return RUN.contains(name) || (transform ? TRANSFORM.contains(name)
                : COMMITTED.contains(name) || SPLIT.matcher(name).matches());
    }
}
