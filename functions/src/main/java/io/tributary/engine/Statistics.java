package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Output;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Per-column statistics of what a chunk wrote, read back from its files (a columnar scan for Parquet). */
final class Statistics {

    private Statistics() {
    }

    static List<ColumnStatistics> of(Connection db, List<ChunkOutput.Part> parts, Output output) throws SQLException {
        if (parts.isEmpty()) {
            return List.of();
        }
        String files = parts.stream().map(p -> literal(p.file().toString())).collect(Collectors.joining(", ", "[", "]"));
        String source = switch (output.format()) {
            case "parquet" -> "read_parquet(" + files + ")";
            case "csv" -> "read_csv(" + files + ", header = true)";
            default -> "read_json(" + files + ", format = 'newline_delimited')";
        };
        List<ColumnStatistics> statistics = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SUMMARIZE SELECT * FROM " + source)) {
            while (rs.next()) {
                long rows = rs.getLong("count");
                double nullShare = rs.getDouble("null_percentage");
                String avg = rs.getString("avg");
                Double mean = null;
                if (avg != null && isNumeric(rs.getString("column_type"))) {
                    mean = Double.parseDouble(avg);
                }
                statistics.add(new ColumnStatistics(rs.getString("column_name"), rs.getString("column_type"), rows,
                        Math.round(rows * nullShare / 100.0), rs.getString("min"), rs.getString("max"), mean,
                        rs.getLong("approx_unique")));
            }
        }
        return statistics;
    }

    private static boolean isNumeric(String type) {
        return type.matches("(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|"
                + "DECIMAL.*)");
    }
}
