package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An in-memory DuckDB for one invocation: limited to {@link EngineLimits}, spilling to and reading from nothing
 * but its work dir, in UTC, with its configuration locked before any data is read.
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
            s.execute("SET preserve_insertion_order=true");
            s.execute("SET TimeZone='UTC'");
            s.execute("SET allowed_directories=[" + literal(work + "/") + "]");
            s.execute("SET enable_external_access=false");
            s.execute("SET lock_configuration=true");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }
}
