package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.column.Column;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The SQL that types a record's raw values, one layer at a time, for the parsers that read values as text: over
 * columns {@code t0, t1, …} (the raw text, null for a missing value) it converts each into {@code c0, c1, …}
 * ({@link #conversions}), keeps those that lost nothing as {@code v0, v1, …} ({@link #values}), and names the columns
 * that failed ({@link #failures}) with their reason ({@link #refusal}).
 */
final class TypedValues {

    private final List<Column> columns;
    private final SourceSchema schema;
    private final TextTypes types;
    private final IntFunction<String> override;
    private final IntFunction<String> rawTypes;
    private final SourceFormat source;
    private final String absent;

    /**
     * Values of the run's columns {@code schema} read from text written as {@code source}; {@code override} gives, for
     * column {@code i}, a conversion of its own (a JSON source's {@code json} column keeps the JSON value), or null.
     */
    TypedValues(SourceFormat source, SourceSchema schema, IntFunction<String> override) {
        this(source, schema, override, i -> "VARCHAR");
    }

    /** These values, their missing ones called {@code absent} in a reason ("empty" in a CSV). */
    TypedValues absentCalled(String absent) {
        return new TypedValues(source, schema, override, rawTypes, absent);
    }

    /**
     * Values read from a source whose column {@code i} has the DuckDB type {@code rawTypes.apply(i)}: text is read as
     * text sources read it; a value of another type is cast, and kept only if casting it back gives the same value.
     */
    TypedValues(SourceFormat source, SourceSchema schema, IntFunction<String> override, IntFunction<String> rawTypes) {
        this(source, schema, override, rawTypes, "missing or null");
    }

    private TypedValues(SourceFormat source, SourceSchema schema, IntFunction<String> override,
                        IntFunction<String> rawTypes, String absent) {
        this.absent = absent;
        this.columns = schema.toColumns();
        this.schema = schema;
        this.types = new TextTypes(source);
        this.source = source;
        this.override = override;
        this.rawTypes = rawTypes;
    }

    /** Whether a value of {@code type} is a number or a time: one that fails to convert did not fit. */
    private static boolean comparable(String type) {
        return type.matches("(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|DECIMAL.*|DATE|TIMESTAMP.*|BOOLEAN)");
    }

    private boolean isText(int i) {
        return rawTypes.apply(i).equals("VARCHAR");
    }

    /** {@code c0, c1, …} over {@code t0, t1, …}. */
    String conversions() {
        List<String> converted = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String own = override.apply(i);
            Column column = columns.get(i);
            String conversion = own != null ? own : isText(i) ? types.converted(column, "t" + i)
                    : "TRY_CAST(t" + i + " AS " + column.sqlType() + ")";
            converted.add(conversion + " AS c" + i);
        }
        return String.join(", ", converted);
    }

    /** {@code v0, v1, …} over {@code t} and {@code c}: the converted value where it lost nothing, else null. */
    String values() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String value;
            if (override.apply(i) != null) {
                value = "c" + i;
            } else if (isText(i)) {
                value = types.value(column, "t" + i, "c" + i, schema.isInferred(column.name()));
            } else {
                // An instant is no wall-clock time: a plain timestamp column does not take one.
                boolean instantToPlain = rawTypes.apply(i).equals("TIMESTAMP WITH TIME ZONE")
                        && column.sqlType().equals("TIMESTAMP");
                value = instantToPlain ? "NULL::TIMESTAMP" : "CASE WHEN TRY_CAST(c" + i + " AS " + rawTypes.apply(i)
                        + ") IS NOT DISTINCT FROM t" + i + " THEN c" + i + " END";
            }
            values.add(value + " AS v" + i);
        }
        return String.join(", ", values);
    }

    /**
     * One expression per column over {@code t} and {@code v}: the column's name when its value failed (did not
     * convert, or is missing where it may not be), else null.
     */
    List<String> failures() {
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            checks.add("CASE WHEN t" + i + " IS NOT NULL AND v" + i + " IS NULL THEN " + literal(column.name())
                    + " WHEN t" + i + " IS NULL AND " + !column.nullable() + " THEN " + literal(column.name()) + " END");
        }
        return checks;
    }

    /** The kind of failure of the column named by the SQL {@code bad}: {@code MISSING VALUE} or {@code CAST}. */
    String kind(String bad) {
        StringBuilder cases = new StringBuilder("CASE ").append(bad);
        for (int i = 0; i < columns.size(); i++) {
            cases.append(" WHEN ").append(literal(columns.get(i).name())).append(" THEN CASE WHEN t").append(i)
                    .append(" IS NULL THEN 'MISSING VALUE' ELSE 'CAST' END");
        }
        return cases.append(" END").toString();
    }

    /** Why the value of the column named by the SQL {@code bad} failed, over {@code t0, t1, …}. */
    String refusal(String bad) {
        return TextTypes.refusal(columns, bad, absent, i -> "t" + i, i -> isText(i)
                ? types.why(columns.get(i), "t" + i, schema.isInferred(columns.get(i).name()))
                        + (schema.isInferred(columns.get(i).name()) ? " || " + literal(TextTypes.INFERRED) : "")
                : comparable(rawTypes.apply(i)) ? types.whyTyped(columns.get(i), rawTypes.apply(i))
                : "CASE WHEN c" + i + " IS NULL THEN " + literal("is not " + TextTypes.article(types.describe(
                        columns.get(i))) + " " + types.describe(columns.get(i))) + " ELSE "
                        + types.whyTyped(columns.get(i), rawTypes.apply(i)) + " END");
    }
}
