package io.tributary.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Delta table built by hand for the reader's tests: Parquet data files written by DuckDB, {@code _delta_log}
 * commits written as JSON lines, each commit file's modification time set to its commit time (what Kernel's time
 * travel goes by when a table has no in-commit timestamps).
 */
final class HandBuiltDeltaTable implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    private final Connection duckdb;

    HandBuiltDeltaTable(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("_delta_log"));
            this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one DuckDB statement (a fresh JDBC statement each time). */
    void sql(String sql) {
        try (Statement statement = duckdb.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one DuckDB statement and returns its update count (for a COPY, the rows it wrote). */
    long update(String sql) {
        try (Statement statement = duckdb.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The rows of a DuckDB query, each a list of JDBC values. */
    List<List<Object>> query(String sql) {
        try (Statement statement = duckdb.createStatement(); var result = statement.executeQuery(sql)) {
            List<List<Object>> rows = new java.util.ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new java.util.ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Writes the rows of {@code select} as the Parquet file {@code relative} (a file system path under the root). */
    Path parquet(String relative, String select) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sql("COPY (" + select + ") TO " + literal(file.toString()) + " (FORMAT parquet)");
        return file;
    }

    /** An add action for a file under the root; {@code logPath} is its path as the log holds it (URI-encoded). */
    ObjectNode add(String logPath, Path file, Map<String, String> partitionValues, String stats, long modificationTime) {
        ObjectNode add = JSON.createObjectNode();
        add.put("path", logPath);
        ObjectNode values = add.putObject("partitionValues");
        partitionValues.forEach(values::put);
        try {
            add.put("size", Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        add.put("modificationTime", modificationTime);
        add.put("dataChange", true);
        add.put("stats", stats);
        return wrap("add", add);
    }

    /** The remove action (a tombstone) for a file an add action added. */
    static ObjectNode remove(ObjectNode addAction, long deletionTimestamp) {
        ObjectNode add = (ObjectNode) addAction.get("add");
        ObjectNode remove = JSON.createObjectNode();
        remove.put("path", add.get("path").asText());
        remove.put("deletionTimestamp", deletionTimestamp);
        remove.put("dataChange", true);
        remove.put("extendedFileMetadata", true);
        remove.set("partitionValues", add.get("partitionValues").deepCopy());
        remove.put("size", add.get("size").asLong());
        return wrap("remove", remove);
    }

    static ObjectNode protocol(int minReader, int minWriter, List<String> readerFeatures, List<String> writerFeatures) {
        ObjectNode protocol = JSON.createObjectNode();
        protocol.put("minReaderVersion", minReader);
        protocol.put("minWriterVersion", minWriter);
        if (readerFeatures != null) {
            ArrayNode features = protocol.putArray("readerFeatures");
            readerFeatures.forEach(features::add);
        }
        if (writerFeatures != null) {
            ArrayNode features = protocol.putArray("writerFeatures");
            writerFeatures.forEach(features::add);
        }
        return wrap("protocol", protocol);
    }

    /** A metaData action; {@code fields} are (name, Delta type) pairs, each nullable. */
    static ObjectNode metaData(String name, String description, List<String[]> fields, List<String> partitionColumns,
                               Map<String, String> configuration, long createdTime) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "struct");
        ArrayNode schemaFields = schema.putArray("fields");
        for (String[] field : fields) {
            ObjectNode f = schemaFields.addObject();
            f.put("name", field[0]);
            f.put("type", field[1]);
            f.put("nullable", true);
            f.putObject("metadata");
        }
        ObjectNode metaData = JSON.createObjectNode();
        metaData.put("id", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        metaData.put("name", name);
        metaData.put("description", description);
        ObjectNode format = metaData.putObject("format");
        format.put("provider", "parquet");
        format.putObject("options");
        metaData.put("schemaString", schema.toString());
        ArrayNode partitions = metaData.putArray("partitionColumns");
        partitionColumns.forEach(partitions::add);
        ObjectNode config = metaData.putObject("configuration");
        configuration.forEach(config::put);
        metaData.put("createdTime", createdTime);
        return wrap("metaData", metaData);
    }

    static ObjectNode txn(String appId, long version, long lastUpdated) {
        ObjectNode txn = JSON.createObjectNode();
        txn.put("appId", appId);
        txn.put("version", version);
        txn.put("lastUpdated", lastUpdated);
        return wrap("txn", txn);
    }

    /** Writes commit {@code version}: a commitInfo line then the actions, one JSON object a line. */
    Path commit(long version, Instant time, List<ObjectNode> actions) {
        ObjectNode commitInfo = JSON.createObjectNode();
        commitInfo.put("timestamp", time.toEpochMilli());
        commitInfo.put("operation", "WRITE");
        commitInfo.putObject("operationParameters").put("mode", "Append");
        commitInfo.put("isBlindAppend", false);
        StringBuilder lines = new StringBuilder(wrap("commitInfo", commitInfo).toString()).append('\n');
        for (ObjectNode action : actions) {
            lines.append(action).append('\n');
        }
        Path file = root.resolve("_delta_log").resolve(String.format("%020d.json", version));
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(time));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static ObjectNode wrap(String key, ObjectNode action) {
        ObjectNode line = JSON.createObjectNode();
        line.set(key, action);
        return line;
    }

    @Override
    public void close() {
        try {
            duckdb.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
