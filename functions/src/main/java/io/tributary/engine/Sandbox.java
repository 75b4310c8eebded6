package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * An in-memory DuckDB for one invocation: limited to {@link EngineLimits}, spilling to and reading from nothing
 * but its work dir (spilling at most {@link EngineLimits#maxSpillBytes}), in UTC, with its configuration locked before
 * any data is read.
 */
final class Sandbox {

    private Sandbox() {
    }

    static Connection open(EngineLimits limits, Path work) throws SQLException {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            Files.createDirectories(work.resolve("spill"));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Connection db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute("SET memory_limit=" + literal(limits.memoryLimit()));
            s.execute("SET threads=" + limits.threads());
            s.execute("SET temp_directory=" + literal(work.resolve("spill").toString()));
            s.execute("SET max_temp_directory_size=" + literal(limits.maxSpillBytes() + "b"));
            s.execute("SET preserve_insertion_order=true");
            s.execute("SET TimeZone='UTC'");
            // This rewrite turns a dedupe (QUALIFY row_number() ... = 1) after another step into arg_max over a
            // struct of the whole row: about 3x faster than the window's sort when keys repeat a lot, but 3-4x
            // slower when they are nearly unique (1M rows: 1.0 s against 0.3 s). The sort's cost stays predictable.
            s.execute("SET disabled_optimizers='top_n_window_elimination'");
            s.execute("SET allowed_directories=[" + literal(work + "/") + "]");
            s.execute("SET enable_external_access=false");
            s.execute("SET lock_configuration=true");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** The app setting that bounds {@link EngineLimits#maxSpillBytes}. */
    static final String MAX_SPILL_SETTING = "TRIBUTARY_MAX_SPILL_BYTES";

    /**
     * The failure to report when {@code e}, or what caused it, is the engine refusing to spill beyond
     * {@link EngineLimits#maxSpillBytes}: the same chunk with the same limits needs as much again, so retrying cannot
     * help.
     */
    static Optional<TransformFailedException> spillLimitReached(Throwable e, EngineLimits limits) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException && String.valueOf(cause.getMessage()).contains("max_temp_directory_size")) {
                return Optional.of(new TransformFailedException("the engine needed more than "
                        + SourceDecoder.bytes(limits.maxSpillBytes()) + " of disk to spill to (the app setting "
                        + MAX_SPILL_SETTING + ", " + limits.maxSpillBytes() + ", per invocation): give it more memory "
                        + "(TRIBUTARY_ENGINE_MEMORY) so it spills less, set a smaller \"chunkSize\", or raise "
                        + MAX_SPILL_SETTING + " if the work dir's disk has room", cause));
            }
        }
        return Optional.empty();
    }
}
