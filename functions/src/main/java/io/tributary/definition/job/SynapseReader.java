package io.tributary.definition.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.job.SynapseWork;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a job's {@code "synapse"}: a Spark batch job on a Synapse workspace's Spark pool. */
final class SynapseReader {

    private static final Set<String> FIELDS = Set.of("pool", "file", "className", "args", "jars", "pyFiles", "files",
            "conf", "driverMemory", "driverCores", "executorMemory", "executorCores", "executors");
    /** A Spark pool's name: letters and digits, starting with a letter, at most 15 (Synapse's rule). */
    private static final Pattern POOL = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,14}|%[A-Za-z0-9_:.-]+%");
    /** Spark's memory sizes as Synapse takes them: {@code 28g}, {@code 512m}. */
    private static final Pattern MEMORY = Pattern.compile("\\d{1,6}[mMgG]");
    private static final int MAX_CORES = 64;
    private static final int MAX_EXECUTORS = 200;

    private final WorkFields work;
    private final Fields fields;

    SynapseReader(WorkFields work) {
        this.work = work;
        this.fields = work.fields();
    }

    Optional<SynapseWork> read(JsonNode node, String at) {
        if (!fields.object(node, at, FIELDS)) {
            return Optional.empty();
        }
        String pool = fields.string(node, at, "pool", true);
        if (pool != null && !POOL.matcher(pool).matches()) {
            fields.problem(at + "/pool", "'" + pool + "' is not a Spark pool name: letters and digits, starting with a "
                    + "letter, at most 15 (as the workspace's Manage > Apache Spark pools lists it)");
            pool = null;
        }
        String file = fields.string(node, at, "file", true);
        if (file != null && file.isBlank()) {
            fields.problem(at + "/file", "the main file is empty: give the Python file or JAR the batch runs, e.g. "
                    + "\"abfss://jobs@ACCOUNT.dfs.core.windows.net/clean_orders.py\"");
            file = null;
        }
        String className = fields.string(node, at, "className", false);
        String driverMemory = memory(node, at, "driverMemory");
        String executorMemory = memory(node, at, "executorMemory");
        int driverCores = work.count(node, at, "driverCores", MAX_CORES, 0);
        int executorCores = work.count(node, at, "executorCores", MAX_CORES, 0);
        int executors = work.count(node, at, "executors", MAX_EXECUTORS, 0);
        SynapseWork read = pool == null || file == null ? null : new SynapseWork(pool, file, className,
                work.strings(node, at, "args"), work.strings(node, at, "jars"), work.strings(node, at, "pyFiles"),
                work.strings(node, at, "files"), work.stringMap(node, at, "conf"), driverMemory, driverCores,
                executorMemory, executorCores, executors);
        return Optional.ofNullable(read);
    }

    private String memory(JsonNode node, String at, String field) {
        String memory = fields.string(node, at, field, false);
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            fields.problem(at + "/" + field, "'" + memory + "' is not a memory size; write it as Spark does, e.g. "
                    + "\"28g\" or \"512m\"");
            return null;
        }
        return memory;
    }
}
