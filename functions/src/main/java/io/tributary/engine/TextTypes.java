package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.column.Column;
import io.tributary.definition.source.SourceFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * How a text value becomes its column's type without losing anything, as SQL over the text. A value converts in two
 * steps: {@link #converted} is DuckDB's own conversion ({@code TRY_CAST}, or {@code try_strptime} with the source's
 * time formats), which is lenient ({@code 10.9} becomes the int 11, {@code 1.239} the {@code decimal(5,2)} 1.24, an
 * offset in a plain timestamp is dropped); {@link #value} keeps it only when {@link #lossless} holds, so a value is
 * stored as its source wrote it or its record is rejected with {@link #refusal}'s reason.
 *
 * <p>A column whose type was inferred from a sample is stricter still: a number must be written as the type writes it
 * (no leading zeros, no plus sign, no exponent for whole numbers), since a value like {@code 00731} in an inferred
 * {@code long} column is an identifier the sample did not show, not the number 731.
 */
final class TextTypes {

    /** A whole number: sign, digits, and a fraction only of zeros ({@code 10.0}, as JSON writers print floats). */
    private static final String WHOLE = "\\s*[+-]?[0-9]+(\\.0*)?\\s*";
    /** A number in plain digits, with or without a fraction. */
    private static final String PLAIN = "\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\s*";
    /** A number, with an exponent or not. */
    private static final String NUMBER = "\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*";
    /** The non-finite doubles, as Java, JavaScript and pandas write them. */
    private static final String NON_FINITE = "(?i)\\s*[+-]?(inf|infinity|nan)\\s*";
    private static final String DATE = "\\s*-?[0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}";
    private static final String TIME = "([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]*)?)?)?";
    private static final String OFFSET = "\\s*(Z|z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)";
    /** An inferred number as a number is written: no leading zeros, no plus sign. */
    private static final String CANONICAL = "\\s*-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\s*";
    private static final String CANONICAL_WHOLE = "\\s*-?(0|[1-9][0-9]*)\\s*";
    /** The spellings a boolean is read from, in any case. */
    static final List<String> TRUE = List.of("true", "t", "yes", "y", "1");
    static final List<String> FALSE = List.of("false", "f", "no", "n", "0");

    private final SourceFormat source;

    TextTypes(SourceFormat source) {
        this.source = source;
    }

    /**
     * The column's value from the SQL text expression {@code text} (not for {@code json} columns): DuckDB's lenient
     * conversion, null when the text does not convert at all. Keep it only where {@link #lossless} holds.
     */
    String converted(Column column, String text) {
        return switch (column.type().name()) {
            case "string" -> text;
            case "json" -> "TRY_CAST(" + text + " AS JSON)";
            case "boolean" -> "CASE WHEN lower(trim(" + text + ")) IN (" + spellings(TRUE) + ") THEN true WHEN lower(trim("
                    + text + ")) IN (" + spellings(FALSE) + ") THEN false END";
            case "timestamp" -> timestamp(column, text);
            case "date" -> source.dateFormat().map(f -> "try_strptime(" + text + ", " + literal(f) + ")::DATE")
                    .orElse("TRY_CAST(" + text + " AS DATE)");
            default -> "TRY_CAST(" + text + " AS " + column.type().sqlType() + ")";
        };
    }

    /**
     * True when {@code converted} (what {@link #converted} made of {@code text}) holds the value {@code text} wrote,
     * all of it; {@code inferred} for a column whose type a sample decided. Cheap first: a value whose converted form
     * prints as its text is lossless; only the others are matched against the type's written forms.
     */
    String lossless(Column column, String text, String converted, boolean inferred) {
        String same = converted + "::VARCHAR = " + text;
        String name = column.type().name();
        return switch (name) {
            case "string", "boolean", "json" -> "true";
            case "int", "long" -> "(" + same + " OR " + matches(text, inferred ? CANONICAL_WHOLE : WHOLE) + ")";
            // DuckDB reads a double in decimal or exponent notation and little else; beyond the range it reads
            // infinity, and it takes digits grouped by '_'.
            case "double" -> inferred ? "(" + same + " OR (" + matches(text, CANONICAL) + " AND NOT isinf(" + converted
                    + ")) OR " + matches(text, NON_FINITE) + ")"
                    : "(NOT contains(" + text + ", '_') AND (NOT isinf(" + converted + ") OR "
                            + matches(text, NON_FINITE) + "))";
            case "decimal" -> "(" + same + " OR (" + matches(text, PLAIN) + (inferred ? " AND " + matches(text,
                    CANONICAL) : "") + " AND " + fractionDigits(text) + " <= " + column.type().scale() + "))";
            case "date" -> source.dateFormat().isPresent()
                    ? "try_strptime(" + text + ", " + literal(source.dateFormat().get()) + ") = " + converted
                    : "(" + same + " OR " + matches(text, DATE + "\\s*") + ")";
            case "timestamp" -> source.timestampFormat().isPresent() ? "true" : column.timeZone().isEmpty()
                    // Plain: the offset was refused already; a date first (not 'epoch'), at most microseconds.
                    ? "(left(ltrim(" + text + "), 1) BETWEEN '0' AND '9' AND (strpos(" + text + ", '.') = 0 OR length("
                            + "rtrim(substr(" + text + ", strpos(" + text + ", '.') + 1), '0 ')) <= 6))"
                    : "(" + matches(text, DATE + TIME + "(" + OFFSET + ")?\\s*") + " AND " + fractionDigits(text)
                            + " <= 6)";
            default -> throw new IllegalStateException(name);
        };
    }

    /** The column's value from {@code text}, or null when it does not convert without loss. */
    String value(Column column, String text, String converted, boolean inferred) {
        return "CASE WHEN " + lossless(column, text, converted, inferred) + " THEN " + converted + " END";
    }

    /**
     * A timestamp as its column declares it. A plain one is wall-clock time, and its text may carry no offset; a zoned
     * one reads text with an offset as the instant it names, and text without one as wall-clock time in its zone.
     */
    private String timestamp(Column column, String text) {
        Optional<String> zone = column.timeZone();
        if (source.timestampFormat().isPresent()) {
            String parsed = "try_strptime(" + text + ", " + literal(source.timestampFormat().get()) + ")::TIMESTAMP";
            return zone.map(z -> "timezone(" + literal(z) + ", " + parsed + ")").orElse(parsed);
        }
        if (zone.isEmpty()) {
            return "CASE WHEN NOT " + hasOffset(text) + " THEN TRY_CAST(" + text + " AS TIMESTAMP) END";
        }
        return zone.get().equals("UTC") ? "TRY_CAST(" + text + " AS TIMESTAMP WITH TIME ZONE)"
                : "CASE WHEN " + matches(text, DATE + TIME + OFFSET + "\\s*") + " THEN TRY_CAST(" + text
                        + " AS TIMESTAMP WITH TIME ZONE) ELSE timezone(" + literal(zone.get()) + ", TRY_CAST(" + text
                        + " AS TIMESTAMP)) END";
    }

    /**
     * Whether ISO text ends in an offset ({@code Z}, {@code +02:00}, {@code -0500}, {@code UTC}): with string
     * functions, not a pattern, as every value of a plain timestamp is asked.
     */
    private static String hasOffset(String text) {
        return "(contains(" + text + ", '+') OR contains(" + text + ", 'Z') OR contains(" + text + ", 'z') OR contains("
                + text + ", 'UTC') OR contains(substr(ltrim(" + text + "), 11), '-'))";
    }

    /** Why {@code text}, which did not convert to the column's type without loss, was refused: SQL text. */
    String why(Column column, String text, boolean inferred) {
        String type = column.type().toString();
        String name = column.type().name();
        String notA = literal("is not " + article(describe(column)) + " " + describe(column));
        String inference = literal("is written as no " + type + " is (with leading zeros, a plus sign or an exponent), "
                + "so reading it as " + type + " would change its text");
        return switch (name) {
            case "int", "long" -> "CASE WHEN " + (inferred ? matches(text, WHOLE) + " AND NOT " + matches(text,
                    CANONICAL_WHOLE) + " THEN " + inference + " WHEN " : "") + matches(text, WHOLE) + " THEN "
                    + literal("is out of range for " + type + " (" + (name.equals("int") ? "-2147483648 to 2147483647"
                            : "-9223372036854775808 to 9223372036854775807") + ")")
                    + " WHEN " + matches(text, NUMBER) + " THEN " + literal("has a fractional part or an exponent, "
                            + "and " + article(type) + " " + type + " holds whole numbers only: it is not rounded; "
                            + "declare the column as decimal or double, and round it with a cast step if that is meant")
                    + " ELSE " + notA + " END";
            case "double" -> "CASE WHEN " + (inferred ? matches(text, NUMBER) + " AND NOT " + matches(text, CANONICAL)
                    + " THEN " + inference + " WHEN " : "") + matches(text, NUMBER) + " THEN "
                    + literal("is out of range for double") + " ELSE " + notA + " END";
            case "decimal" -> "CASE WHEN " + (inferred ? matches(text, PLAIN) + " AND NOT " + matches(text, CANONICAL)
                    + " THEN " + inference + " WHEN " : "") + matches(text, PLAIN) + " AND " + fractionDigits(text)
                    + " > " + column.type().scale() + " THEN " + literal("has more digits after the point than the "
                            + column.type().scale() + " of " + type + ": it is not rounded; declare a larger scale, or "
                            + "round it with a cast step if that is meant")
                    + " WHEN " + matches(text, PLAIN) + " THEN " + literal("is out of range for " + type + " (at most "
                            + (column.type().precision() - column.type().scale()) + " digits before the point)")
                    + " WHEN " + matches(text, NUMBER) + " THEN " + literal("is written with an exponent; "
                            + type + " reads plain digits (declare double for such values)")
                    + " ELSE " + notA + " END";
            case "boolean" -> literal("is not a boolean: write one of " + String.join(", ", TRUE) + " or "
                    + String.join(", ", FALSE) + " (in any case)");
            case "date" -> source.dateFormat().isPresent() ? "CASE WHEN try_strptime(" + text + ", "
                    + literal(source.dateFormat().get()) + ") IS NOT NULL THEN " + literal("has a time of day, which "
                    + "a date does not hold (declare the column as timestamp)") + " ELSE " + notA + " END"
                    : "CASE WHEN " + matches(text, DATE + "[T ].*") + " THEN " + literal("has a time of day, which a "
                            + "date does not hold (declare the column as timestamp)") + " ELSE " + notA + " END";
            case "timestamp" -> source.timestampFormat().isPresent() ? notA : "CASE WHEN "
                    + (column.timeZone().isEmpty() ? matches(text, DATE + TIME + OFFSET + "\\s*") + " THEN "
                            + literal("has a UTC offset, but the column is a plain timestamp (wall-clock time, no "
                                    + "offset): declare \"timeZone\": \"UTC\" to read it as the instant it names")
                            + " WHEN " : "")
                    + matches(text, DATE + TIME + "(" + OFFSET + ")?\\s*") + " AND " + fractionDigits(text) + " > 6 THEN "
                    + literal("has more than 6 digits of fractional seconds, and a timestamp keeps microseconds: it "
                            + "is not truncated") + " ELSE " + notA + " END";
            default -> notA;
        };
    }

    /**
     * What a reason adds for a column whose type was inferred: where the type came from, and what to do about a value
     * the sample did not show.
     */
    static final String INFERRED = "; the column's type was inferred from a sample of the input that held no such "
            + "value: declare the column in \"columns\" (as string to keep every value as written), or give a larger "
            + "\"inferenceSample\"";

    /** Why a value of another type ({@code from}, a DuckDB type) did not convert to the column's without loss. */
    String whyTyped(Column column, String from) {
        if (column.type().name().equals("timestamp") && column.timeZone().isEmpty()
                && from.equals("TIMESTAMP WITH TIME ZONE")) {
            return literal("is an instant (a timestamp with a time zone), but the column is a plain timestamp: declare "
                    + "\"timeZone\": \"UTC\" to keep it as the instant it is");
        }
        return literal("is a " + from + " that " + column.type() + " cannot hold without losing part of it (a fraction,"
                + " precision or range): it is not rounded; declare a type that holds it, or round it with a cast step");
    }

    /** The column's type as a reason names it: with the format its text must have. */
    String describe(Column column) {
        String type = column.type().toString();
        if (type.equals("timestamp") && source.timestampFormat().isPresent()) {
            return "timestamp in the format " + source.timestampFormat().get();
        }
        if (type.equals("date") && source.dateFormat().isPresent()) {
            return "date in the format " + source.dateFormat().get();
        }
        if (type.equals("date")) {
            return "date (YYYY-MM-DD)";
        }
        if (type.equals("timestamp")) {
            return "timestamp (YYYY-MM-DD HH:MM:SS[.ffffff]" + (column.timeZone().isPresent() ? "[+HH:MM]" : "") + ")";
        }
        return type;
    }

    /**
     * Why a record's value was refused, as SQL: a {@code CASE} over {@code bad}, the name of the first column whose
     * value failed, where {@code raw.apply(i)} is the column's raw value: missing (said {@code absent}) where it may
     * not be, or not of its column's type (with the value and {@code why}).
     */
    static String refusal(List<Column> columns, String bad, String absent, IntFunction<String> raw,
                          IntFunction<String> why) {
        StringBuilder cases = new StringBuilder("CASE ").append(bad);
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            cases.append(" WHEN ").append(literal(column.name())).append(" THEN CASE WHEN ").append(raw.apply(i))
                    .append(" IS NULL THEN ").append(literal("column \"" + column.name() + "\" is " + absent
                            + " but declared \"nullable\": false"))
                    .append(" ELSE 'column \"").append(column.name().replace("'", "''")).append("\": ' || to_json(")
                    .append(raw.apply(i)).append(")::VARCHAR || ' ' || ").append(why.apply(i)).append(" END");
        }
        return cases.append(" END").toString();
    }

    private static String matches(String text, String pattern) {
        return "regexp_full_match(" + text + ", " + literal(pattern) + ")";
    }

    /** The digits after the point, trailing zeros left out: what a scale must hold. */
    private static String fractionDigits(String text) {
        return "length(rtrim(regexp_extract(" + text + ", '\\.([0-9]*)', 1), '0'))";
    }

    private static String spellings(List<String> words) {
        return String.join(", ", words.stream().map(w -> "'" + w + "'").toList());
    }

    static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }
}
