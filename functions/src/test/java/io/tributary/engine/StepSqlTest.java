package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.step.AggregateStep;
import io.tributary.definition.step.CastStep;
import io.tributary.definition.column.ColumnType;
import io.tributary.definition.step.DedupeStep;
import io.tributary.definition.step.DeriveStep;
import io.tributary.definition.step.DropStep;
import io.tributary.definition.step.FillNullStep;
import io.tributary.definition.step.FilterStep;
import io.tributary.definition.step.FlattenStep;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.RenameStep;
import io.tributary.definition.step.SelectStep;
import io.tributary.definition.step.SqlStep;
import io.tributary.definition.step.Step;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL each kind of step compiles to, pinned character for character: the queries are part of what a run does
 * (a sql step reads {@code input}, a dedupe keeps nulls last), so a change to them is a change of behaviour.
 */
class StepSqlTest {

    static Stream<Arguments> steps() {
        Map<String, AggregateStep.Measure> measures = new LinkedHashMap<>();
        measures.put("orders", new AggregateStep.Measure("count", "*"));
        measures.put("total", new AggregateStep.Measure("sum", "amount"));
        Map<String, ColumnType> fields = new LinkedHashMap<>();
        fields.put("city", ColumnType.parse("string"));
        fields.put("geo.lat", ColumnType.parse("double"));
        fields.put("tags", ColumnType.parse("json"));
        Map<String, Object> fills = new LinkedHashMap<>();
        fills.put("name", "it's");
        fills.put("qty", 0);
        fills.put("ok", true);
        return Stream.of(
                Arguments.of(new SelectStep(List.of("id", "we\"ird")),
                        "SELECT \"id\", \"we\"\"ird\" FROM step_1"),
                Arguments.of(new DropStep(List.of("a", "b")),
                        "SELECT * EXCLUDE (\"a\", \"b\") FROM step_1"),
                Arguments.of(new RenameStep(Map.of("old", "new")),
                        "SELECT * RENAME (\"old\" AS \"new\") FROM step_1"),
                Arguments.of(new CastStep(Map.of("amount", ColumnType.parse("decimal(12,2)"))),
                        "SELECT * REPLACE (CAST(\"amount\" AS DECIMAL(12,2)) AS \"amount\") FROM step_1"),
                Arguments.of(new FilterStep("amount > 0"),
                        "SELECT * FROM step_1 WHERE (amount > 0)"),
                Arguments.of(new DeriveStep(Map.of("double_amount", "amount * 2")),
                        "SELECT *, (amount * 2) AS \"double_amount\" FROM step_1"),
                Arguments.of(new FillNullStep(fills),
                        "SELECT * REPLACE (coalesce(\"name\", 'it''s') AS \"name\", coalesce(\"qty\", 0) AS \"qty\", "
                                + "coalesce(\"ok\", true) AS \"ok\") FROM step_1"),
                Arguments.of(new DedupeStep(List.of("id"), List.of("updated_at", "seq"), "last"),
                        "SELECT * FROM step_1 QUALIFY row_number() OVER (PARTITION BY \"id\" ORDER BY "
                                + "\"updated_at\" DESC NULLS LAST, \"seq\" DESC NULLS LAST) = 1"),
                Arguments.of(new DedupeStep(List.of("id"), List.of("seq"), "first"),
                        "SELECT * FROM step_1 QUALIFY row_number() OVER (PARTITION BY \"id\" ORDER BY "
                                + "\"seq\" ASC NULLS LAST) = 1"),
                Arguments.of(new AggregateStep(List.of("region"), measures),
                        "SELECT \"region\", count(*) AS \"orders\", sum(\"amount\") AS \"total\" FROM step_1 "
                                + "GROUP BY \"region\""),
                Arguments.of(new AggregateStep(List.of(), Map.of("orders", new AggregateStep.Measure("count", "*"))),
                        "SELECT count(*) AS \"orders\" FROM step_1"),
                Arguments.of(new LookupStep("reference/regions.csv", Map.of("region_id", "id"),
                                Map.of("region_name", ColumnType.parse("string")), "lookup_0"),
                        "SELECT __row.*, __ref.\"region_name\" FROM step_1 AS __row LEFT JOIN lookup_0 AS __ref "
                                + "ON __row.\"region_id\" = __ref.\"id\""),
                Arguments.of(new FlattenStep("address", fields, "address_", false),
                        "SELECT * EXCLUDE (\"address\"), "
                                + "CAST(json_extract_string(\"address\", '$.\"city\"') AS VARCHAR) AS \"address_city\", "
                                + "CAST(json_extract_string(\"address\", '$.\"geo\".\"lat\"') AS DOUBLE) "
                                + "AS \"address_geo_lat\", "
                                + "json_extract(\"address\", '$.\"tags\"') AS \"address_tags\" FROM step_1"),
                Arguments.of(new FlattenStep("address", Map.of("city", ColumnType.parse("string")), "a_", true),
                        "SELECT *, CAST(json_extract_string(\"address\", '$.\"city\"') AS VARCHAR) AS \"a_city\" "
                                + "FROM step_1"),
                Arguments.of(new SqlStep("SELECT * FROM input -- all"),
                        "WITH input AS (SELECT * FROM step_1) SELECT * FROM (\nSELECT * FROM input -- all\n)"));
    }

    @ParameterizedTest
    @MethodSource("steps")
    void compilesEachKindOfStep(Step step, String sql) {
        assertEquals(sql, StepSql.of(step, "step_1"));
    }

    /** A new kind of step gets its SQL pinned here too. */
    @Test
    void pinsEveryKindOfStep() {
        assertEquals(new TreeSet<>(Arrays.stream(Step.class.getPermittedSubclasses()).map(Class::getSimpleName).toList()),
                new TreeSet<>(steps().map(a -> a.get()[0].getClass().getSimpleName()).toList()));
    }
}
