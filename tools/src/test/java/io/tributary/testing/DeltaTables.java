package io.tributary.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table in a local directory with Delta Kernel (the Delta project's own reader, independent of the
 * app's log writer) into rows of plain Java values, partition columns included. Follows Kernel's "read a table"
 * recipe: list the scan files, read each with the physical read schema, let {@link Scan#transformPhysicalData}
 * add the partition values, keep the rows the selection vector selects. Rows come back in scan order.
 *
 * <p>Java values by Delta type: long Long, integer Integer, short Short, byte Byte, double Double, float Float,
 * boolean Boolean, string String, decimal BigDecimal, date LocalDate, timestamp Instant, timestamp_ntz
 * LocalDateTime, binary byte[]; struct a Map, array a List, map a Map; null stays null.
 */
public final class DeltaTables {

    private static Engine engine;

    private DeltaTables() {
    }

    /** Every row of the latest version. */
    public static List<Map<String, Object>> rows(Path tableRoot) {
        return rows(table(tableRoot).getLatestSnapshot(engine()));
    }

    /** Every row of the given version. */
    public static List<Map<String, Object>> rows(Path tableRoot, long version) {
        return rows(table(tableRoot).getSnapshotAsOfVersion(engine(), version));
    }

    /**
     * Every row of the version current at {@code time}. Without in-commit timestamps Kernel goes by the modification
     * times of the {@code _delta_log/*.json} files: a table copied from blob storage needs each commit file's
     * modification time set to its blob's (a plain download stamps them all with the download time).
     */
    public static List<Map<String, Object>> rowsAsOf(Path tableRoot, Instant time) {
        return rows(table(tableRoot).getSnapshotAsOfTimestamp(engine(), time.toEpochMilli()));
    }

    /** The latest version of the table. */
    public static long latestVersion(Path tableRoot) {
        return table(tableRoot).getLatestSnapshot(engine()).getVersion();
    }

    /** The version time travel to {@code time} resolves to (see {@link #rowsAsOf}). */
    public static long versionAsOf(Path tableRoot, Instant time) {
        return table(tableRoot).getSnapshotAsOfTimestamp(engine(), time.toEpochMilli()).getVersion();
    }

    /** The data files live at {@code version}: each {@code add.path} as the log holds it (relative, URI-encoded). */
    public static List<String> files(Path tableRoot, long version) {
        Snapshot snapshot = table(tableRoot).getSnapshotAsOfVersion(engine(), version);
        Scan scan = snapshot.getScanBuilder().build();
        List<String> paths = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine())) {
            while (scanFiles.hasNext()) {
                for (Row scanFile : selectedRows(scanFiles.next())) {
                    Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                    paths.add(add.getString(add.getSchema().indexOf("path")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    /**
     * Every row of one Parquet file as Kernel's default Parquet reader reads it with {@code readSchema} (columns
     * missing from the file come back null), e.g. a checkpoint read with Kernel's own checkpoint schema.
     */
    public static List<Map<String, Object>> parquet(Path file, StructType readSchema) {
        List<Map<String, Object>> rows = new ArrayList<>();
        FileStatus status;
        try {
            status = FileStatus.of(file.toAbsolutePath().toString(), java.nio.file.Files.size(file),
                    java.nio.file.Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (CloseableIterator<ColumnarBatch> batches =
                     engine().getParquetHandler().readParquetFiles(singleton(status), readSchema, Optional.empty())) {
            while (batches.hasNext()) {
                addRows(new FilteredColumnarBatch(batches.next(), Optional.empty()), rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The Kernel snapshot of the given version, for assertions beyond rows (schema, partition columns, timestamp). */
    public static Snapshot snapshot(Path tableRoot, long version) {
        return table(tableRoot).getSnapshotAsOfVersion(engine(), version);
    }

    /** The engine this fixture reads with (Kernel's default engine on a default Hadoop configuration). */
    public static synchronized Engine engine() {
        if (engine == null) {
            engine = DefaultEngine.create(new Configuration());
        }
        return engine;
    }

    private static Table table(Path tableRoot) {
        return Table.forPath(engine(), tableRoot.toAbsolutePath().toString());
    }

    private static List<Map<String, Object>> rows(Snapshot snapshot) {
        Engine engine = engine();
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalReadSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                for (Row scanFile : selectedRows(scanFiles.next())) {
                    FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                    CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                            .readParquetFiles(singleton(file), physicalReadSchema, Optional.empty());
                    try (CloseableIterator<FilteredColumnarBatch> logical =
                                 Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                        while (logical.hasNext()) {
                            addRows(logical.next(), rows);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static void addRows(FilteredColumnarBatch batch, List<Map<String, Object>> into) {
        ColumnarBatch data = batch.getData();
        StructType schema = data.getSchema();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int rowId = 0; rowId < data.getSize(); rowId++) {
            if (!selected(selection, rowId)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int column = 0; column < schema.length(); column++) {
                row.put(schema.at(column).getName(), value(data.getColumnVector(column), rowId));
            }
            into.add(row);
        }
    }

    /** The rows of a batch its selection vector keeps (all of them when there is none). */
    private static List<Row> selectedRows(FilteredColumnarBatch batch) {
        ColumnarBatch data = batch.getData();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> all = data.getRows()) {
            for (int rowId = 0; all.hasNext(); rowId++) {
                Row row = all.next();
                if (selected(selection, rowId)) {
                    rows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static boolean selected(Optional<ColumnVector> selection, int rowId) {
        return selection.isEmpty() || (!selection.get().isNullAt(rowId) && selection.get().getBoolean(rowId));
    }

    private static Object value(ColumnVector vector, int rowId) {
        if (vector.isNullAt(rowId)) {
            return null;
        }
        DataType type = vector.getDataType();
        if (type instanceof LongType) {
            return vector.getLong(rowId);
        } else if (type instanceof IntegerType) {
            return vector.getInt(rowId);
        } else if (type instanceof ShortType) {
            return vector.getShort(rowId);
        } else if (type instanceof ByteType) {
            return vector.getByte(rowId);
        } else if (type instanceof DoubleType) {
            return vector.getDouble(rowId);
        } else if (type instanceof FloatType) {
            return vector.getFloat(rowId);
        } else if (type instanceof BooleanType) {
            return vector.getBoolean(rowId);
        } else if (type instanceof StringType) {
            return vector.getString(rowId);
        } else if (type instanceof DecimalType) {
            return vector.getDecimal(rowId);
        } else if (type instanceof DateType) {
            return LocalDate.ofEpochDay(vector.getInt(rowId));
        } else if (type instanceof TimestampType) {
            long micros = vector.getLong(rowId);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        } else if (type instanceof TimestampNTZType) {
            long micros = vector.getLong(rowId);
            return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) (Math.floorMod(micros, 1_000_000L) * 1_000L), ZoneOffset.UTC);
        } else if (type instanceof BinaryType) {
            return vector.getBinary(rowId);
        } else if (type instanceof StructType struct) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < struct.length(); i++) {
                StructField field = struct.at(i);
                fields.put(field.getName(), value(vector.getChild(i), rowId));
            }
            return fields;
        } else if (type instanceof ArrayType) {
            ArrayValue array = vector.getArray(rowId);
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < array.getSize(); i++) {
                elements.add(value(array.getElements(), i));
            }
            return elements;
        } else if (type instanceof MapType) {
            MapValue map = vector.getMap(rowId);
            Map<Object, Object> entries = new LinkedHashMap<>();
            for (int i = 0; i < map.getSize(); i++) {
                entries.put(value(map.getKeys(), i), value(map.getValues(), i));
            }
            return entries;
        }
        throw new IllegalArgumentException("no Java value for Delta type " + type);
    }

    private static CloseableIterator<FileStatus> singleton(FileStatus file) {
        return io.delta.kernel.internal.util.Utils.singletonCloseableIterator(file);
    }
}
