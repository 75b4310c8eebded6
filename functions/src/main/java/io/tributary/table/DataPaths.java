package io.tributary.table;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data file's name in storage and in the log. The log names a file by its path relative to the table's folder,
 * URI-encoded; the partition folders in that path are Hive-style ({@code region=north%20east/}, a value percent-
 * encoded as the engine writes it, {@value #NULL_VALUE} for null), from which the file's partition values come.
 */
public final class DataPaths {

    /** The folder value that stands for a null partition value (Hive's, Spark's and DuckDB's). */
    public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

    private DataPaths() {
    }

    /** The log's path of the file stored at {@code relative} (relative to the table's folder). */
    public static String encode(String relative) {
        StringBuilder out = new StringBuilder();
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-_.~/=".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Where the file the log names {@code path} is stored, relative to the table's folder. */
    public static String decode(String path) {
        return percentDecode(path);
    }

    /**
     * The partition values of the file stored at {@code relative}: each of {@code columns} from its folder
     * ({@code column=value/}).
     *
     * @throws IllegalArgumentException when a column has no folder in the path
     */
    public static Map<String, String> partitionValues(String relative, List<String> columns) {
        Map<String, String> found = new LinkedHashMap<>();
        String[] segments = relative.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            int eq = segments[i].indexOf('=');
            if (eq > 0) {
                String value = segments[i].substring(eq + 1);
                found.put(segments[i].substring(0, eq), value.equals(NULL_VALUE) ? null : percentDecode(value));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String column : columns) {
            if (!found.containsKey(column)) {
                throw new IllegalArgumentException("data file " + relative + " is not in a folder of partition column "
                        + column);
            }
            values.put(column, found.get(column));
        }
        return values;
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
