package io.tributary.testing;

import static io.tributary.testing.HandBuiltDeltaTable.literal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta Kernel reader fixture on a table built by hand: data files written by DuckDB, a log of three commits
 * (create with two partitions, append, copy-on-write rewrite), one column of every Delta primitive type.
 */
class DeltaTablesTest {

    /** The table's columns as (name, Delta type, DuckDB type); {@code split} is the partition column. */
    static final List<String[]> COLUMNS = List.of(
            new String[] {"id", "long", "BIGINT"},
            new String[] {"n_int", "integer", "INTEGER"},
            new String[] {"n_short", "short", "SMALLINT"},
            new String[] {"n_byte", "byte", "TINYINT"},
            new String[] {"x_double", "double", "DOUBLE"},
            new String[] {"x_float", "float", "FLOAT"},
            new String[] {"flag", "boolean", "BOOLEAN"},
            new String[] {"name", "string", "VARCHAR"},
            new String[] {"amount", "decimal(18,3)", "DECIMAL(18,3)"},
            new String[] {"day", "date", "DATE"},
            new String[] {"ts", "timestamp", "TIMESTAMPTZ"},
            new String[] {"ts_ntz", "timestamp_ntz", "TIMESTAMP"},
            new String[] {"raw", "binary", "BLOB"},
            new String[] {"split", "string", null});

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void readsEveryVersionAndEveryTypeOfAHandBuiltTable() throws java.io.IOException {
        Path root = dir.resolve("orders");
        try (HandBuiltDeltaTable table = new HandBuiltDeltaTable(root)) {
            // Version 0: the protocol (timestamp_ntz needs reader 3 / writer 7 and the timestampNtz feature), the
            // metadata, and one file in each partition; the train file holds a row of nulls.
            ObjectNode train0 = addFile(table, "split=train/part-00000.parquet", "train", List.of(row(1, 0), row(2, 0), nullRow(3)), T0);
            ObjectNode test0 = addFile(table, "split=test/part-00001.parquet", "test", List.of(row(4, 0)), T0);
            table.commit(0, T0, List.of(
                    HandBuiltDeltaTable.protocol(3, 7, List.of("timestampNtz"), List.of("timestampNtz")),
                    HandBuiltDeltaTable.metaData("orders", "hand-built", deltaFields(), List.of("split"), Map.of(), T0.toEpochMilli()),
                    train0, test0));
            // Version 1: an append.
            Instant t1 = T0.plus(Duration.ofHours(1));
            ObjectNode train1 = addFile(table, "split=train/part-00002.parquet", "train", List.of(row(5, 1), row(6, 1)), t1);
            table.commit(1, t1, List.of(train1));
            // Version 2: copy-on-write: the test file is rewritten with row 4 changed and row 7 added.
            Instant t2 = T0.plus(Duration.ofHours(2));
            ObjectNode test2 = addFile(table, "split=test/part-00003.parquet", "test", List.of(row(4, 2), row(7, 2)), t2);
            table.commit(2, t2, List.of(HandBuiltDeltaTable.remove(test0, t2.toEpochMilli()), test2));
        }

        assertEquals(2, DeltaTables.latestVersion(root));

        List<Map<String, Object>> v0 = List.of(row(1, 0), row(2, 0), nullRow(3), row(4, 0));
        List<Map<String, Object>> v1 = List.of(row(1, 0), row(2, 0), nullRow(3), row(4, 0), row(5, 1), row(6, 1));
        List<Map<String, Object>> v2 = List.of(row(1, 0), row(2, 0), nullRow(3), row(4, 2), row(5, 1), row(6, 1), row(7, 2));
        assertRows(v0, DeltaTables.rows(root, 0));
        assertRows(v1, DeltaTables.rows(root, 1));
        assertRows(v2, DeltaTables.rows(root, 2));
        assertRows(v2, DeltaTables.rows(root));

        assertEquals(List.of("split=test/part-00001.parquet", "split=train/part-00000.parquet"), sorted(DeltaTables.files(root, 0)));
        assertEquals(List.of("split=test/part-00001.parquet", "split=train/part-00000.parquet", "split=train/part-00002.parquet"),
                sorted(DeltaTables.files(root, 1)));
        assertEquals(List.of("split=test/part-00003.parquet", "split=train/part-00000.parquet", "split=train/part-00002.parquet"),
                sorted(DeltaTables.files(root, 2)));

        // Time travel goes by the commit files' modification times (the table has no in-commit timestamps).
        assertRows(v0, DeltaTables.rowsAsOf(root, T0));
        assertRows(v0, DeltaTables.rowsAsOf(root, T0.plus(Duration.ofMinutes(59))));
        assertRows(v1, DeltaTables.rowsAsOf(root, T0.plus(Duration.ofHours(1))));
        assertRows(v1, DeltaTables.rowsAsOf(root, T0.plus(Duration.ofMinutes(119))));
        assertRows(v2, DeltaTables.rowsAsOf(root, T0.plus(Duration.ofHours(2))));
        assertEquals(1, DeltaTables.versionAsOf(root, T0.plus(Duration.ofMinutes(90))));
        assertEquals(T0.plus(Duration.ofHours(1)).toEpochMilli(), DeltaTables.snapshot(root, 1).getTimestamp(DeltaTables.engine()));
        // Before the first commit and after the last, Kernel refuses.
        KernelException before = assertThrows(KernelException.class, () -> DeltaTables.rowsAsOf(root, T0.minusSeconds(1)));
        assertTrue(before.getMessage().contains("is before the earliest available version 0"), before.getMessage());
        KernelException after = assertThrows(KernelException.class, () -> DeltaTables.rowsAsOf(root, T0.plus(Duration.ofHours(3))));
        assertTrue(after.getMessage().contains("is after the latest available version 2"), after.getMessage());

        // parquet-java (ParquetRows, the project's other independent reader) runs beside Kernel on this class path
        // and reads the same values from the live files.
        List<Map<String, Object>> viaParquetJava = new ArrayList<>();
        for (String file : DeltaTables.files(root, 2)) {
            viaParquetJava.addAll(ParquetRows.read(root.resolve(file)));
        }
        viaParquetJava.sort(Comparator.comparing(r -> (Long) r.get("id")));
        assertEquals(v2.size(), viaParquetJava.size());
        for (int i = 0; i < v2.size(); i++) {
            Map<String, Object> expected = v2.get(i);
            Map<String, Object> actual = viaParquetJava.get(i);
            assertEquals(expected.get("id"), actual.get("id"));
            assertEquals(expected.get("name"), actual.get("name"));
            assertEquals(expected.get("amount"), actual.get("amount"));
            assertEquals(expected.get("day"), actual.get("day"));
            assertEquals(expected.get("x_double"), actual.get("x_double"));
            Instant ts = (Instant) expected.get("ts");
            assertEquals(ts == null ? null : ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1_000, actual.get("ts"));
        }

        // The schema Kernel read from the log, with the two timestamp types apart.
        var schema = DeltaTables.snapshot(root, 2).getSchema();
        assertEquals(TimestampType.TIMESTAMP, schema.get("ts").getDataType());
        assertEquals(TimestampNTZType.TIMESTAMP_NTZ, schema.get("ts_ntz").getDataType());
        assertEquals(List.of("split"), DeltaTables.snapshot(root, 2).getPartitionColumnNames());
    }

    @Test
    void returnsEachTypeAsItsJavaClass() {
        Path root = dir.resolve("types");
        try (HandBuiltDeltaTable table = new HandBuiltDeltaTable(root)) {
            ObjectNode add = addFile(table, "split=train/part-00000.parquet", "train", List.of(row(9, 0)), T0);
            table.commit(0, T0, List.of(
                    HandBuiltDeltaTable.protocol(3, 7, List.of("timestampNtz"), List.of("timestampNtz")),
                    HandBuiltDeltaTable.metaData("types", "", deltaFields(), List.of("split"), Map.of(), T0.toEpochMilli()),
                    add));
        }
        List<Map<String, Object>> rows = DeltaTables.rows(root);
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        // Column order is the table schema's, the partition column in its place.
        assertEquals(COLUMNS.stream().map(c -> c[0]).toList(), new ArrayList<>(row.keySet()));
        assertEquals(9L, row.get("id"));
        assertEquals(-900_000, row.get("n_int"));
        assertEquals((short) 900, row.get("n_short"));
        assertEquals((byte) -9, row.get("n_byte"));
        assertEquals(9.25d, row.get("x_double"));
        assertEquals(9.5f, row.get("x_float"));
        assertEquals(false, row.get("flag"));
        assertEquals("name-9-r0 \"q\" 'a' ü€ \n2nd", row.get("name"));
        assertEquals(new BigDecimal("-9123.456"), row.get("amount"));
        assertEquals(LocalDate.of(2024, 1, 10), row.get("day"));
        assertEquals(Instant.parse("2024-03-01T19:15:30.123456Z"), row.get("ts"));
        assertEquals(LocalDateTime.of(2024, 3, 1, 10, 24, 30, 123_456_000), row.get("ts_ntz"));
        assertArrayEquals(new byte[] {9, 0, (byte) 0xFF}, (byte[]) row.get("raw"));
        assertEquals("train", row.get("split"));
    }

    /**
     * DuckDB encodings Kernel refuses or misreads, so that the app's writer casts before it writes: a Delta
     * {@code timestamp} must be TIMESTAMPTZ (INT64 micros, isAdjustedToUTC=true) and a {@code timestamp_ntz} TIMESTAMP
     * (INT64 micros, isAdjustedToUTC=false); integers must not be wider in the file than in the table; a UUID must be
     * cast to VARCHAR (DuckDB writes it as 16 raw bytes, which Kernel returns as a garbled string).
     */
    @Test
    void duckDbEncodingsKernelRefusesOrMisreads() {
        assertRefused("timestamp", "TIMESTAMP '2024-01-01 00:00:00'", "Incompatible Utc adjustment");
        assertRefused("timestamp", "TIMESTAMP_MS '2024-01-01 00:00:00'", "Incompatible Utc adjustment");
        assertRefused("timestamp_ntz", "TIMESTAMPTZ '2024-01-01 00:00:00+00'", "Incompatible Utc adjustment");
        assertRefused("timestamp_ntz", "TIMESTAMP_NS '2024-01-01 00:00:00'", "Unsupported Parquet TimeType unit=NANOS");
        assertRefused("integer", "1::BIGINT", "Can not read value");
        assertRefused("long", "1::HUGEINT", "Can not read value");
        assertRefused("date", "TIMESTAMP '2024-01-01 00:00:00'", "Can not read value");

        String uuid = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
        java.util.UUID parsed = java.util.UUID.fromString(uuid);
        byte[] bytes = java.nio.ByteBuffer.allocate(16)
                .putLong(parsed.getMostSignificantBits()).putLong(parsed.getLeastSignificantBits()).array();
        // A UUID column reads as its 16 big-endian bytes decoded as UTF-8, not as its text.
        assertEquals(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), oneValue("string", "'" + uuid + "'::UUID"));
        assertEquals(uuid, oneValue("string", "'" + uuid + "'::UUID::VARCHAR"));
        // Narrower in the file than in the table is fine: Kernel widens.
        assertEquals(1L, oneValue("long", "1::INTEGER"));
        assertEquals(1.5d, oneValue("double", "1.5::FLOAT"));
        assertEquals(new BigDecimal("1.500"), oneValue("decimal(18,3)", "1.5::DECIMAL(10,2)"));
        // Every decimal width DuckDB writes (INT32 up to 9 digits, INT64 up to 18, FIXED_LEN_BYTE_ARRAY beyond).
        assertEquals(new BigDecimal("-1234567.89"), oneValue("decimal(9,2)", "-1234567.89::DECIMAL(9,2)"));
        assertEquals(new BigDecimal("12345678901234567890123456789012.123456"),
                oneValue("decimal(38,6)", "12345678901234567890123456789012.123456::DECIMAL(38,6)"));
    }

    private int probes;

    /** The one value of a one-column table whose column has Delta type {@code deltaType}, written by DuckDB from {@code sql}. */
    private Object oneValue(String deltaType, String sql) {
        Path root = dir.resolve("probe-" + probes++);
        try (HandBuiltDeltaTable table = new HandBuiltDeltaTable(root)) {
            var file = table.parquet("part-00000.parquet", "SELECT " + sql + " AS v");
            boolean ntz = deltaType.equals("timestamp_ntz");
            table.commit(0, T0, List.of(
                    ntz ? HandBuiltDeltaTable.protocol(3, 7, List.of("timestampNtz"), List.of("timestampNtz"))
                            : HandBuiltDeltaTable.protocol(1, 2, null, null),
                    HandBuiltDeltaTable.metaData("probe", "", List.<String[]>of(new String[] {"v", deltaType}), List.of(), Map.of(), 0),
                    table.add("part-00000.parquet", file, Map.of(), "{\"numRecords\":1}", T0.toEpochMilli())));
        }
        List<Map<String, Object>> rows = DeltaTables.rows(root);
        assertEquals(1, rows.size());
        return rows.get(0).get("v");
    }

    private void assertRefused(String deltaType, String sql, String message) {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> oneValue(deltaType, sql));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" / ");
        }
        assertTrue(messages.toString().contains(message), deltaType + " <- " + sql + ": " + messages);
    }

    // ---- the table's rows, as Java values and as DuckDB literals ----

    /** Row {@code id} as written at revision {@code rev} (a rewrite changes name and amount). */
    static Map<String, Object> row(long id, int rev) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("n_int", (int) (-100_000 * id));
        row.put("n_short", (short) (100 * id));
        row.put("n_byte", (byte) -id);
        row.put("x_double", id + 0.25d);
        row.put("x_float", id + 0.5f);
        row.put("flag", id % 2 == 0);
        row.put("name", "name-" + id + "-r" + rev + " \"q\" 'a' ü€ \n2nd");
        row.put("amount", BigDecimal.valueOf(-(id * 1_000_000 + 123_456 + rev * 1000L), 3));
        row.put("day", LocalDate.of(2024, 1, 1).plusDays(id));
        row.put("ts", Instant.parse("2024-03-01T10:15:30.123456Z").plus(Duration.ofHours(id)));
        row.put("ts_ntz", LocalDateTime.of(2024, 3, 1, 10, 15, 30, 123_456_000).plusMinutes(id));
        row.put("raw", new byte[] {(byte) id, 0, (byte) 0xFF});
        row.put("split", id == 4 || id == 7 ? "test" : "train");
        return row;
    }

    /** Row {@code id} with every data column null. */
    static Map<String, Object> nullRow(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String[] column : COLUMNS) {
            row.put(column[0], null);
        }
        row.put("id", id);
        row.put("split", "train");
        return row;
    }

    static List<String[]> deltaFields() {
        return COLUMNS.stream().map(c -> new String[] {c[0], c[1]}).toList();
    }

    /** Writes the rows (without the partition column) with DuckDB and returns the add action for the file. */
    static ObjectNode addFile(HandBuiltDeltaTable table, String path, String split, List<Map<String, Object>> rows, Instant time) {
        String select = String.join(" UNION ALL ", rows.stream().map(DeltaTablesTest::selectSql).toList());
        var file = table.parquet(path, "SELECT * FROM (" + select + ") ORDER BY id");
        return table.add(path, file, Map.of("split", split), "{\"numRecords\":" + rows.size() + "}", time.toEpochMilli());
    }

    /** A SELECT of one row's data columns, each cast to its DuckDB type. */
    static String selectSql(Map<String, Object> row) {
        List<String> columns = new ArrayList<>();
        for (String[] column : COLUMNS) {
            if (column[2] == null) {
                continue;
            }
            Object value = row.get(column[0]);
            columns.add(sqlLiteral(value, column[2]) + " AS " + column[0]);
        }
        return "SELECT " + String.join(", ", columns);
    }

    static String sqlLiteral(Object value, String duckdbType) {
        if (value == null) {
            return "NULL::" + duckdbType;
        } else if (value instanceof byte[] bytes) {
            return "from_hex('" + HexFormat.of().formatHex(bytes) + "')";
        } else if (value instanceof Instant instant) {
            return literal(instant.toString().replace('T', ' ').replace("Z", "+00")) + "::" + duckdbType;
        } else if (value instanceof LocalDateTime local) {
            return literal(local.toString().replace('T', ' ')) + "::" + duckdbType;
        } else if (value instanceof String || value instanceof LocalDate || value instanceof BigDecimal) {
            return literal(value.toString()) + "::" + duckdbType;
        }
        return "(" + value + ")::" + duckdbType;
    }

    /** Sorts by id and compares every value, byte arrays by content, and each value's Java class. */
    static void assertRows(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        List<Map<String, Object>> sorted = actual.stream().sorted(Comparator.comparing(r -> (Long) r.get("id"))).toList();
        assertEquals(comparable(expected), comparable(sorted));
        for (int i = 0; i < expected.size(); i++) {
            for (var entry : expected.get(i).entrySet()) {
                Object value = sorted.get(i).get(entry.getKey());
                if (entry.getValue() == null) {
                    assertNull(value, entry.getKey());
                } else {
                    assertEquals(entry.getValue().getClass(), value.getClass(), entry.getKey());
                }
            }
        }
    }

    private static List<Map<String, Object>> comparable(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Object> copy = new LinkedHashMap<>();
            row.forEach((k, v) -> copy.put(k, v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v));
            return copy;
        }).toList();
    }

    static List<String> sorted(List<String> items) {
        return items.stream().sorted().toList();
    }
}
