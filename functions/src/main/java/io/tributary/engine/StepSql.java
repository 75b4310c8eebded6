package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.step.AggregateStep;
import io.tributary.definition.step.CastStep;
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
import io.tributary.definition.sql.SqlText;
import io.tributary.definition.step.Step;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Compiles one step of a definition to DuckDB SQL: the one place that knows what query each kind of step is. The
 * steps themselves hold only what the definition says; {@link StepChain} chains the queries.
 */
final class StepSql {

    private StepSql() {
    }

    /**
     * A DuckDB query that applies {@code step} to the relation named {@code input} (a table, a CTE's name, or a
     * parenthesized query).
     *
     * @throws IllegalArgumentException for a kind of step this class does not compile (a new {@link Step} kind that
     *                                  was not added here)
     */
    static String of(Step step, String input) {
        if (step instanceof SelectStep select) {
            return select(select, input);
        } else if (step instanceof DropStep drop) {
            return drop(drop, input);
        } else if (step instanceof RenameStep rename) {
            return rename(rename, input);
        } else if (step instanceof CastStep cast) {
            return cast(cast, input);
        } else if (step instanceof FilterStep filter) {
            return filter(filter, input);
        } else if (step instanceof DeriveStep derive) {
            return derive(derive, input);
        } else if (step instanceof FillNullStep fill) {
            return fillNull(fill, input);
        } else if (step instanceof DedupeStep dedupe) {
            return dedupe(dedupe, input);
        } else if (step instanceof AggregateStep aggregate) {
            return aggregate(aggregate, input);
        } else if (step instanceof LookupStep lookup) {
            return lookup(lookup, input);
        } else if (step instanceof FlattenStep flatten) {
            return flatten(flatten, input);
        } else if (step instanceof SqlStep sql) {
            return sql(sql, input);
        }
        throw new IllegalArgumentException("no SQL for a step of op '" + step.op() + "'");
    }

    private static String select(SelectStep step, String input) {
        return "SELECT " + step.columns().stream().map(SqlText::identifier).collect(Collectors.joining(", "))
                + " FROM " + input;
    }

    private static String drop(DropStep step, String input) {
        return "SELECT * EXCLUDE (" + step.columns().stream().map(SqlText::identifier)
                .collect(Collectors.joining(", ")) + ") FROM " + input;
    }

    private static String rename(RenameStep step, String input) {
        return "SELECT * RENAME (" + step.columns().entrySet().stream()
                .map(e -> identifier(e.getKey()) + " AS " + identifier(e.getValue()))
                .collect(Collectors.joining(", ")) + ") FROM " + input;
    }

    private static String cast(CastStep step, String input) {
        return "SELECT * REPLACE (" + step.columns().entrySet().stream()
                .map(e -> "CAST(" + identifier(e.getKey()) + " AS " + e.getValue().sqlType() + ") AS "
                        + identifier(e.getKey()))
                .collect(Collectors.joining(", ")) + ") FROM " + input;
    }

    private static String filter(FilterStep step, String input) {
        return "SELECT * FROM " + input + " WHERE (" + step.where() + ")";
    }

    private static String derive(DeriveStep step, String input) {
        return "SELECT *, " + step.columns().entrySet().stream()
                .map(e -> "(" + e.getValue() + ") AS " + identifier(e.getKey()))
                .collect(Collectors.joining(", ")) + " FROM " + input;
    }

    private static String fillNull(FillNullStep step, String input) {
        return "SELECT * REPLACE (" + step.values().entrySet().stream()
                .map(e -> "coalesce(" + identifier(e.getKey()) + ", " + value(e.getValue()) + ") AS "
                        + identifier(e.getKey()))
                .collect(Collectors.joining(", ")) + ") FROM " + input;
    }

    /** A fill value as a literal: text quoted, numbers and booleans as written. */
    private static String value(Object value) {
        return value instanceof String text ? literal(text) : String.valueOf(value);
    }

    private static String dedupe(DedupeStep step, String input) {
        String direction = step.keep().equals("last") ? " DESC" : " ASC";
        return "SELECT * FROM " + input + " QUALIFY row_number() OVER (PARTITION BY "
                + step.keys().stream().map(SqlText::identifier).collect(Collectors.joining(", ")) + " ORDER BY "
                + step.orderBy().stream().map(c -> identifier(c) + direction + " NULLS LAST")
                        .collect(Collectors.joining(", ")) + ") = 1";
    }

    private static String aggregate(AggregateStep step, String input) {
        String keys = step.groupBy().stream().map(SqlText::identifier).collect(Collectors.joining(", "));
        String values = step.measures().entrySet().stream()
                .map(e -> measure(e.getValue()) + " AS " + identifier(e.getKey()))
                .collect(Collectors.joining(", "));
        return "SELECT " + (keys.isEmpty() ? "" : keys + ", ") + values + " FROM " + input
                + (keys.isEmpty() ? "" : " GROUP BY " + keys);
    }

    private static String measure(AggregateStep.Measure measure) {
        return measure.function() + "(" + (measure.column().equals("*") ? "*" : identifier(measure.column())) + ")";
    }

    private static String lookup(LookupStep step, String input) {
        String added = step.columns().keySet().stream().map(c -> "__ref." + identifier(c))
                .collect(Collectors.joining(", "));
        String condition = step.on().entrySet().stream()
                .map(e -> "__row." + identifier(e.getKey()) + " = __ref." + identifier(e.getValue()))
                .collect(Collectors.joining(" AND "));
        return "SELECT __row.*, " + added + " FROM " + input + " AS __row LEFT JOIN " + step.table() + " AS __ref ON "
                + condition;
    }

    private static String flatten(FlattenStep step, String input) {
        String source = identifier(step.column());
        String extracted = step.fields().entrySet().stream().map(f -> {
            String path = literal("$." + Arrays.stream(f.getKey().split("\\.", -1))
                    .map(p -> "\"" + p.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .collect(Collectors.joining(".")));
            String value = f.getValue().name().equals("json") ? "json_extract(" + source + ", " + path + ")"
                    : "CAST(json_extract_string(" + source + ", " + path + ") AS " + f.getValue().sqlType() + ")";
            return value + " AS " + identifier(step.columnFor(f.getKey()));
        }).collect(Collectors.joining(", "));
        return "SELECT *" + (step.keep() ? "" : " EXCLUDE (" + source + ")") + ", " + extracted + " FROM " + input;
    }

    private static String sql(SqlStep step, String input) {
        // On lines of its own, so a query may start with WITH or end in a -- comment.
        return "WITH input AS (SELECT * FROM " + input + ") SELECT * FROM (\n" + step.query() + "\n)";
    }
}
