package io.tributary.synapse;

import io.tributary.job.SynapseWork;
import io.tributary.run.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code SparkBatch_CreateSparkBatchJob} ({@code SparkBatchJobOptions}): the work's file, class, arguments,
 * files and sizes, named by the submission's key and tagged with it ({@value #KEY_TAG}) and with the submission's
 * tags, so that a later look-up finds the batch. What the work leaves to the pool's defaults (no class, no arguments,
 * sizes of 0 or null) is left out rather than sent empty.
 */
final class SparkBatchBody {

    /** The tag that carries a submission's key: what {@link BatchLookup} matches. */
    static final String KEY_TAG = "tributary-key";
    /** Livy takes requests of at most 100 kB (Synapse's documented limit for Livy). */
    static final int LIMIT = 100 * 1024;

    private SparkBatchBody() {
    }

    static String of(SynapseWork work, String key, Map<String, String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", key);
        body.put("file", work.file());
        if (work.className() != null) {
            body.put("className", work.className());
        }
        putList(body, "args", work.args());
        putList(body, "jars", work.jars());
        putList(body, "pyFiles", work.pyFiles());
        putList(body, "files", work.files());
        if (!work.conf().isEmpty()) {
            body.put("conf", new TreeMap<>(work.conf()));
        }
        if (work.driverMemory() != null) {
            body.put("driverMemory", work.driverMemory());
        }
        if (work.driverCores() > 0) {
            body.put("driverCores", work.driverCores());
        }
        if (work.executorMemory() != null) {
            body.put("executorMemory", work.executorMemory());
        }
        if (work.executorCores() > 0) {
            body.put("executorCores", work.executorCores());
        }
        if (work.executors() > 0) {
            body.put("numExecutors", work.executors());
        }
        Map<String, String> allTags = new LinkedHashMap<>();
        allTags.put(KEY_TAG, key);
        new TreeMap<>(tags).forEach(allTags::putIfAbsent);
        body.put("tags", allTags);
        return Json.compact(body);
    }

    private static void putList(Map<String, Object> body, String name, java.util.List<String> values) {
        if (!values.isEmpty()) {
            body.put(name, values);
        }
    }
}
