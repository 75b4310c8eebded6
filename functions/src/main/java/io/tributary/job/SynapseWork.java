package io.tributary.job;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Work for a Synapse Spark pool: one Spark batch job (Livy's batch), as the Synapse Spark batch API takes it.
 *
 * @param pool           the Spark pool's name
 * @param file           the main file: a Python file or a JAR ({@code abfss://…})
 * @param className      a JAR's main class, or null
 * @param args           the program's arguments
 * @param jars           further JARs on the class path
 * @param pyFiles        further Python files
 * @param files          files put in each executor's working folder
 * @param conf           Spark configuration ({@code spark.…} settings)
 * @param driverMemory   e.g. {@code 28g}; null for the pool's default
 * @param driverCores    0 for the pool's default
 * @param executorMemory e.g. {@code 28g}; null for the pool's default
 * @param executorCores  0 for the pool's default
 * @param executors      the number of executors; 0 for the pool's default
 */
public record SynapseWork(String pool, String file, String className, List<String> args, List<String> jars,
                          List<String> pyFiles, List<String> files, Map<String, String> conf, String driverMemory,
                          int driverCores, String executorMemory, int executorCores, int executors) implements JobWork {

    public SynapseWork {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(file, "file");
        args = args == null ? List.of() : List.copyOf(args);
        jars = jars == null ? List.of() : List.copyOf(jars);
        pyFiles = pyFiles == null ? List.of() : List.copyOf(pyFiles);
        files = files == null ? List.of() : List.copyOf(files);
        conf = WorkValues.copy(conf);
    }

    @Override
    public String compute() {
        return "synapse";
    }

    @Override
    public String code() {
        return "spark batch " + file + (className == null ? "" : " main class " + className) + " on pool " + pool;
    }

    @Override
    public SynapseWork resolve(UnaryOperator<String> values) {
        return new SynapseWork(values.apply(pool), values.apply(file), WorkValues.text(className, values),
                WorkValues.list(args, values), WorkValues.list(jars, values), WorkValues.list(pyFiles, values),
                WorkValues.list(files, values), WorkValues.map(conf, values), WorkValues.text(driverMemory, values),
                driverCores, WorkValues.text(executorMemory, values), executorCores, executors);
    }
}
