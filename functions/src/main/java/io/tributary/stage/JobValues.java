package io.tributary.stage;

import io.tributary.definition.job.JobPlaceholders;
import io.tributary.port.JobException;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunRecord;
import io.tributary.run.StorageAddress;
import io.tributary.settings.SettingReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

/**
 * The run's values a job is submitted with, in place of the {@code ${…}} its definition wrote (see
 * {@link JobPlaceholders}), and the {@code %SETTING%} references resolved as the definition's access allows.
 */
final class JobValues {

    /** {@code ${name}} (group 1) or {@code %SETTING%} (group 2). */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(
            JobPlaceholders.PLACEHOLDER.pattern() + "|" + SettingReference.PATTERN.pattern());

    private final StorageAddress storage;

    JobValues(StorageAddress storage) {
        this.storage = storage;
    }

    /** The values every job of {@code record}'s run has; {@code source} is what the run read (a blob, a spool). */
    Map<String, String> run(RunRecord record, BlobRef source) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("run.id", record.runId().toString());
        values.put("pipeline", record.pipeline());
        values.put("window.start", record.parameters().getOrDefault("windowStart", ""));
        values.put("window.end", record.parameters().getOrDefault("windowEnd", ""));
        BlobRef started = record.source() != null ? record.source() : source;
        put(values, "source", started == null ? null : started.container(), started == null ? null : started.name());
        return values;
    }

    /** The transform job's: the run's, what it reads and the folder it writes. */
    Map<String, String> transform(RunRecord record, BlobRef input, int attempt) {
        Map<String, String> values = run(record, input);
        put(values, "input", input.container(), input.name());
        put(values, "output", RunLayout.RUNS, RunLayout.jobOutput(record.runId(), attempt));
        return values;
    }

    /** A job's after the commit: the run's and the dataset it committed. */
    Map<String, String> committed(RunRecord record, Manifest manifest) {
        Map<String, String> values = run(record, null);
        RunId runId = manifest.runId();
        String dataset = manifest.table() != null ? RunLayout.table(manifest.pipeline())
                : RunLayout.datasetFolder(manifest.pipeline(), runId);
        put(values, "dataset", RunLayout.TRAINING, dataset);
        values.put("dataset.version", manifest.table() != null ? String.valueOf(manifest.table().version())
                : runId.toString());
        put(values, "manifest", RunLayout.TRAINING, RunLayout.manifest(manifest.pipeline(), runId));
        for (var split : manifest.splits().keySet()) {
            put(values, "split." + split, RunLayout.TRAINING, RunLayout.datasetFolder(manifest.pipeline(), runId)
                    + split + "/");
        }
        return values;
    }

    private void put(Map<String, String> values, String name, String container, String path) {
        values.put(name + ".uri", container == null ? "" : storage.uri(container, path));
        values.put(name + ".url", container == null ? "" : storage.url(container, path));
    }

    /**
     * Replaces each {@code ${name}} with its value and each {@code %SETTING%} with the setting's, read through
     * {@code settings} (which refuses what the definition may not name).
     *
     * @throws JobException {@code rejected} for a value the run does not have (a split it did not write) or a
     *                      setting that is missing
     */
    static UnaryOperator<String> resolver(Map<String, String> values, Function<String, Optional<String>> settings) {
        // One pass over the text as written: a value put in (a file's name holding %X%) is never read as a reference.
        return text -> {
            Matcher m = REFERENCE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value;
                if (m.group(1) != null) {
                    value = values.get(m.group(1));
                    if (value == null) {
                        throw new JobException(JobException.Kind.REJECTED, "the job names ${" + m.group(1) + "}, "
                                + "which this run does not have (it has ${" + String.join("}, ${", values.keySet())
                                + "})", false, null);
                    }
                } else {
                    String name = m.group(2);
                    value = settings.apply(name).orElseThrow(() -> new JobException(JobException.Kind.REJECTED,
                            "the job names the app setting " + name + ", which is not set; set it (local.settings.json "
                                    + "Values locally, the function app's settings in Azure)", false, null));
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        };
    }
}
