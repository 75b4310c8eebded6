package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;

import io.tributary.run.ColumnStatistics;
import io.tributary.run.OutputColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-column statistics of the rows a chunk writes, in one aggregate over the rows the engine still holds
 * (reading the written files back would decompress them again; and their types could differ: CSV is re-sniffed).
 */
final class Statistics {

    private Statistics() {
    }

    /** Nulls, min, max, mean (numbers) and a distinct estimate of each of {@code columns} in {@code rows}. */
    static List<ColumnStatistics> of(Connection db, String rows, List<OutputColumn> columns) throws SQLException {
        List<String> aggregates = new ArrayList<>(List.of("count(*)"));
        for (OutputColumn column : columns) {
            String c = identifier(column.name());
            aggregates.add("count(" + c + ")");
            aggregates.add("min(" + c + ")::VARCHAR");
            aggregates.add("max(" + c + ")::VARCHAR");
            aggregates.add(isNumeric(column.type()) ? "avg(" + c + ")::DOUBLE" : "NULL");
            aggregates.add("approx_count_distinct(" + c + ")");
        }
        List<ColumnStatistics> statistics = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM (" + rows + ")")) {
            rs.next();
            long count = rs.getLong(1);
            int at = 2;
            for (OutputColumn column : columns) {
                long values = rs.getLong(at);
                String min = rs.getString(at + 1);
                String max = rs.getString(at + 2);
                double mean = rs.getDouble(at + 3);
                Double maybeMean = rs.wasNull() ? null : mean;
                long distinct = rs.getLong(at + 4);
                statistics.add(new ColumnStatistics(column.name(), column.type(), count, count - values, min, max,
                        maybeMean, distinct));
                at += 5;
            }
        }
        return statistics;
    }

    private static boolean isNumeric(String type) {
        return type.matches("(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|"
                + "DECIMAL.*)");
    }
}
