package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small documents kept as Parquet, such as a table's checkpoint: JSON objects (one per line) written as Parquet
 * rows of declared column types, and Parquet rows read back as JSON objects.
 */
public final class ParquetJson {

    private final EngineLimits limits;

    public ParquetJson(EngineLimits limits) {
        this.limits = limits;
    }

    /**
     * Writes the JSON objects in {@code jsonLines} (one per line) to {@code parquet}, each field as its column of
     * {@code columns} (name → DuckDB type, e.g. {@code STRUCT(path VARCHAR, size BIGINT)}) says; returns the rows
     * written. Both files must be inside {@code work}.
     */
    public long write(Path jsonLines, Map<String, String> columns, Path parquet, Path work) {
        String types = columns.entrySet().stream()
                .map(c -> literal(c.getKey()) + ": " + literal(c.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        try (Connection db = Sandbox.open(limits, work); Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM read_json(" + literal(jsonLines.toString())
                    + ", format = 'newline_delimited', columns = " + types + ")) TO " + literal(parquet.toString())
                    + " (FORMAT parquet, COMPRESSION snappy)");
            return ChunkTransformer.count(db, "SELECT count(*) FROM read_parquet(" + literal(parquet.toString()) + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + parquet.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Each row of {@code parquet} (inside {@code work}) as a JSON object's text; a null column is a JSON null. */
    public List<String> read(Path parquet, Path work) {
        List<String> rows = new ArrayList<>();
        try (Connection db = Sandbox.open(limits, work); Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT to_json(t)::VARCHAR FROM read_parquet("
                     + literal(parquet.toString()) + ") t")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + parquet.getFileName() + ": " + e.getMessage(), e);
        }
        return rows;
    }
}
