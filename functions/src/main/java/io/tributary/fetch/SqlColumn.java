package io.tributary.fetch;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One column of a query's result, and how its values become JSON: whole numbers and decimals as JSON numbers (decimals
 * exact), booleans, text; a date as {@code "2026-11-22"}, a timestamp as {@code "2026-11-22T10:00:00"}, a timestamp with
 * a time zone (PostgreSQL {@code timestamptz}, SQL Server {@code datetimeoffset}) as the instant
 * {@code "2026-11-22T09:00:00Z"}, bytes as base64, an array as a JSON array, NULL as {@code null}; anything else
 * (uuid, json, xml, intervals…) as the driver's text.
 *
 * @param index the column's 1-based position
 * @param label its name in the result
 * @param kind  how its values are read and written
 * @param type  the database's name for its type, for messages
 */
record SqlColumn(int index, String label, Kind kind, String type) {

    /** SQL Server's {@code datetimeoffset} (microsoft.sql.Types.DATETIMEOFFSET). */
    private static final int SQL_SERVER_DATETIMEOFFSET = -155;

    /** How a column's values are read. */
    enum Kind { WHOLE, DECIMAL, REAL, DOUBLE, BOOLEAN, TEXT, DATE, TIME, TIMESTAMP, INSTANT, BYTES, ARRAY }

    /** The columns of a result. */
    static List<SqlColumn> of(ResultSetMetaData meta) throws SQLException {
        List<SqlColumn> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String type = meta.getColumnTypeName(i) == null ? "" : meta.getColumnTypeName(i);
            columns.add(new SqlColumn(i, meta.getColumnLabel(i), kind(meta.getColumnType(i), type), type));
        }
        return columns;
    }

    private static Kind kind(int jdbcType, String typeName) {
        String name = typeName.toLowerCase(Locale.ROOT);
        switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
                return Kind.WHOLE;
            case Types.DECIMAL, Types.NUMERIC:
                return Kind.DECIMAL;
            case Types.REAL:
                return Kind.REAL;
            case Types.FLOAT, Types.DOUBLE:
                return Kind.DOUBLE;
            case Types.BOOLEAN:
                return Kind.BOOLEAN;
            case Types.BIT:
                return name.equals("bool") || name.equals("bit") ? Kind.BOOLEAN : Kind.TEXT; // not varbit
            case Types.DATE:
                return Kind.DATE;
            case Types.TIME:
                return name.equals("timetz") ? Kind.TEXT : Kind.TIME;
            case Types.TIMESTAMP:
                return name.equals("timestamptz") ? Kind.INSTANT : Kind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE, SQL_SERVER_DATETIMEOFFSET:
                return Kind.INSTANT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return Kind.BYTES;
            case Types.ARRAY:
                return Kind.ARRAY;
            default:
                return Kind.TEXT;
        }
    }

    /**
     * The current row's value as Java: Long, BigDecimal, Float, Double, Boolean, String, LocalDate, LocalTime,
     * LocalDateTime, Instant, byte[] or a List of these; null for NULL.
     */
    Object value(ResultSet row) throws SQLException {
        Object value = switch (kind) {
            case WHOLE -> row.getLong(index);
            case DECIMAL -> row.getBigDecimal(index);
            case REAL -> row.getFloat(index);
            case DOUBLE -> row.getDouble(index);
            case BOOLEAN -> row.getBoolean(index);
            case TEXT -> row.getString(index);
            case DATE -> row.getObject(index, LocalDate.class);
            case TIME -> row.getObject(index, LocalTime.class);
            case TIMESTAMP -> row.getObject(index, LocalDateTime.class);
            case INSTANT -> {
                OffsetDateTime time = row.getObject(index, OffsetDateTime.class);
                yield time == null ? null : time.toInstant();
            }
            case BYTES -> row.getBytes(index);
            case ARRAY -> {
                Array array = row.getArray(index);
                yield array == null ? null : elements(array.getArray());
            }
        };
        return row.wasNull() ? null : value;
    }

    /** Writes {@code value}, as {@link #value} read it, as JSON. */
    static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Short s) {
            json.writeNumber(s);
        } else if (value instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof byte[] bytes) {
            json.writeBinary(bytes);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            json.writeString(text(value));
        }
    }

    /** A value as text, in the form JSON Lines and watermarks use: ISO dates and times, plain decimals. */
    static String text(Object value) {
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (value instanceof Instant t) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(value);
    }

    /** An array's elements as {@link #value} would give them (the driver gives java.sql dates and times). */
    private static List<Object> elements(Object array) {
        List<Object> elements = new ArrayList<>();
        for (Object element : (Object[]) array) {
            if (element instanceof java.sql.Timestamp t) {
                elements.add(t.toLocalDateTime());
            } else if (element instanceof java.sql.Date d) {
                elements.add(d.toLocalDate());
            } else if (element instanceof java.sql.Time t) {
                elements.add(t.toLocalTime());
            } else if (element instanceof Object[] nested) {
                elements.add(elements(nested));
            } else if (element instanceof Number || element instanceof Boolean || element instanceof byte[]
                    || element == null) {
                elements.add(element);
            } else {
                elements.add(element.toString());
            }
        }
        return elements;
    }
}
