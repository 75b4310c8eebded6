package io.tributary.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file with Apache parquet-java, an implementation independent of the engine that
 * wrote it, into rows of plain Java values (String, Long, Integer, Double, Boolean, BigDecimal, LocalDate).
 */
public final class ParquetRows {

    private ParquetRows() {
    }

    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(toMap(records.read(), schema));
                }
            }
        }
        return rows;
    }

    /**
     * Every row of a committed dataset, read back from its data files in {@code training} (downloaded one at a time
     * into {@code dir}), each row with its split under {@code "_split"}; checks each file holds the rows its manifest
     * entry says.
     */
    public static List<Map<String, Object>> ofDataset(com.azure.storage.blob.BlobContainerClient training,
                                                      io.tributary.run.Manifest manifest, Path dir) throws IOException {
        String folder = io.tributary.run.RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        List<Map<String, Object>> data = new ArrayList<>();
        for (io.tributary.run.Manifest.DataFile file : manifest.files()) {
            Path local = java.nio.file.Files.createTempFile(dir, "part-", ".parquet");
            training.getBlobClient(folder + file.path()).downloadToFile(local.toString(), true);
            List<Map<String, Object>> rows = read(local);
            java.nio.file.Files.delete(local);
            if (rows.size() != file.rows()) {
                throw new AssertionError(file.path() + " holds " + rows.size() + " rows, its manifest says " + file.rows());
            }
            for (Map<String, Object> row : rows) {
                Map<String, Object> withSplit = new LinkedHashMap<>(row);
                withSplit.put("_split", file.split());
                data.add(withSplit);
            }
        }
        return data;
    }

    /** The column names of a Parquet file, in order. */
    public static List<String> columns(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
        }
    }

    private static Map<String, Object> toMap(Group group, MessageType schema) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type field = schema.getType(i);
            row.put(field.getName(), group.getFieldRepetitionCount(i) == 0 ? null : value(group, i, field.asPrimitiveType()));
        }
        return row;
    }

    private static Object value(Group group, int index, PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
            BigInteger unscaled = switch (type.getPrimitiveTypeName()) {
                case INT32 -> BigInteger.valueOf(group.getInteger(index, 0));
                case INT64 -> BigInteger.valueOf(group.getLong(index, 0));
                default -> new BigInteger(group.getBinary(index, 0).getBytes());
            };
            return new BigDecimal(unscaled, decimal.getScale());
        }
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return LocalDate.ofEpochDay(group.getInteger(index, 0));
        }
        return switch (type.getPrimitiveTypeName()) {
            case INT32 -> group.getInteger(index, 0);
            case INT64 -> group.getLong(index, 0);
            case DOUBLE -> group.getDouble(index, 0);
            case FLOAT -> group.getFloat(index, 0);
            case BOOLEAN -> group.getBoolean(index, 0);
            case BINARY, FIXED_LEN_BYTE_ARRAY -> group.getString(index, 0);
            default -> group.getValueToString(index, 0);
        };
    }
}
