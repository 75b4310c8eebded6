package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Column;
import io.tributary.definition.SourceFormat;
import java.util.List;
import java.util.Optional;

/**
 * How a text value becomes its column's type, as SQL over the text: {@code TRY_CAST}, or {@code try_strptime} with
 * the source's time formats; null when the text does not convert, so the reader can reject the record.
 */
final class TextTypes {

    private final SourceFormat source;

    TextTypes(SourceFormat source) {
        this.source = source;
    }

    /** The column's value from the SQL text expression {@code text} (not for {@code json} columns). */
    String typed(Column column, String text) {
        return switch (column.type().name()) {
            case "timestamp" -> timestamp(column, text);
            case "date" -> source.dateFormat().map(f -> "try_strptime(" + text + ", " + literal(f) + ")::DATE")
                    .orElse("TRY_CAST(" + text + " AS DATE)");
            default -> "TRY_CAST(" + text + " AS " + column.type().sqlType() + ")";
        };
    }

    /**
     * A timestamp as its column declares it: in UTC, ISO text is read as an instant, so an offset in it is
     * applied; a plain timestamp is wall-clock time (an offset is not applied); in another zone, wall-clock time
     * there.
     */
    private String timestamp(Column column, String text) {
        Optional<String> zone = column.timeZone();
        if (source.timestampFormat().isPresent()) {
            String parsed = "try_strptime(" + text + ", " + literal(source.timestampFormat().get()) + ")::TIMESTAMP";
            return zone.map(z -> "timezone(" + literal(z) + ", " + parsed + ")").orElse(parsed);
        }
        if (zone.isEmpty()) {
            return "TRY_CAST(" + text + " AS TIMESTAMP)";
        }
        return zone.get().equals("UTC") ? "TRY_CAST(" + text + " AS TIMESTAMP WITH TIME ZONE)"
                : "timezone(" + literal(zone.get()) + ", TRY_CAST(" + text + " AS TIMESTAMP))";
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
        return type;
    }

    /**
     * Why a record's value was refused, as SQL: a {@code CASE} over {@code b.bad}, the name of the first column
     * whose value failed, where {@code t0, t1, …} are the columns' raw values: missing where it may not be, or not
     * of its column's type (with the value).
     */
    String refusal(List<Column> columns) {
        StringBuilder cases = new StringBuilder("CASE b.bad");
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            cases.append(" WHEN ").append(literal(column.name())).append(" THEN CASE WHEN t").append(i)
                    .append(" IS NULL THEN ").append(literal("column \"" + column.name() + "\" is missing or null but "
                            + "declared \"nullable\": false"))
                    .append(" ELSE 'column \"").append(column.name().replace("'", "''")).append("\": ' || to_json(t")
                    .append(i).append(")::VARCHAR || ").append(literal(" is not a " + describe(column)))
                    .append(" END");
        }
        return cases.append(" END").toString();
    }
}
