package io.tributary.engine;

/**
 * Resources one engine invocation may use.
 *
 * @param memoryLimit DuckDB's memory limit, e.g. {@code "512MB"}; beyond it the engine spills to disk
 * @param threads     worker threads for one invocation
 */
public record EngineLimits(String memoryLimit, int threads) {

    public static final EngineLimits DEFAULT = new EngineLimits("512MB", 1);

    public EngineLimits {
        if (!memoryLimit.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|KiB|MiB|GiB)")) {
            throw new IllegalArgumentException("memory limit '" + memoryLimit + "' must look like 512MB or 1GB");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
    }
}
