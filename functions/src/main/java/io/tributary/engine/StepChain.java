package io.tributary.engine;

import io.tributary.definition.step.SqlStep;
import io.tributary.definition.step.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The steps of a definition as one query over the parsed rows: the one place that chains them. */
final class StepChain {

    private StepChain() {
    }

    /** The query for the rows after the first {@code count} steps, read from the table {@code parsed}. */
    static String query(List<Step> steps, int count) {
        return query(steps, 0, count);
    }

    /** The query for the rows after steps {@code [from, to)}, read from the table {@code parsed}. */
    static String query(List<Step> steps, int from, int to) {
        if (to <= from) {
            return "SELECT * FROM parsed";
        }
        List<String> ctes = new ArrayList<>();
        String previous = "parsed";
        for (int i = from; i < to; i++) {
            String name = "step_" + i;
            if (steps.get(i) instanceof SqlStep) {
                // A sql step sees the rows as the definition describes them, without the engine's own columns.
                ctes.add(name + "_input AS (SELECT COLUMNS(lambda c: NOT starts_with(c, '" + ChunkTransformer.INTERNAL
                        + "')) FROM " + previous + ")");
                previous = name + "_input";
            }
            ctes.add(name + " AS (" + StepSql.of(steps.get(i), previous) + ")");
            previous = name;
        }
        return "WITH " + String.join(", ", ctes) + " SELECT * FROM " + previous;
    }

    /** The columns {@code query} yields, with their DuckDB types, in order; binds the query without running it. */
    static Map<String, String> types(Connection db, String query) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return types;
    }
}
