package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.Output;
import io.tributary.definition.output.Split;
import io.tributary.definition.output.SplitName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a chunk's result (Parquet, CSV or JSON Lines) in one pass: DuckDB partitions the rows by the split
 * each hashes to and by the definition's {@code partitionBy} columns, and closes a file once it reaches the
 * target size (at a row-group boundary) to begin the next.
 */
final class PartWriter {

    private static final String SPLIT_COLUMN = ChunkTransformer.INTERNAL + "split";
    /** Partition folders are named by copies of the columns, so the columns themselves stay in the files. */
    private static final String PARTITION_COLUMN = ChunkTransformer.INTERNAL + "p";

    private final Connection db;
    private final Path work;
    private final PipelineDefinition definition;

    PartWriter(Connection db, Path work, PipelineDefinition definition) {
        this.db = db;
        this.work = work;
        this.definition = definition;
    }

    /**
     * Fails when a {@code partitionBy} column is not among {@code columns}, those after the last step: a definition
     * whose columns only its run knows (inferred, or after a sql step) is checked here.
     */
    void checkColumns(List<String> columns) {
        List<String> missing = new ArrayList<>(definition.output().partitionBy());
        missing.removeAll(columns);
        if (!missing.isEmpty()) {
            throw new TransformFailedException("output.partitionBy names " + String.join(", ", missing)
                    + ", which the rows after the last step do not have; they have " + String.join(", ", columns), null);
        }
    }

    /** Writes the rows of {@code query}; each row's split is computed here, for the rows written only. */
    List<ChunkOutput.Part> write(String query) throws SQLException {
        Output output = definition.output();
        List<String> partitions = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        definition.split().ifPresent(split -> {
            copies.add(split.toSql() + " AS " + SPLIT_COLUMN);
            partitions.add(SPLIT_COLUMN);
        });
        for (int i = 0; i < output.partitionBy().size(); i++) {
            copies.add(identifier(output.partitionBy().get(i)) + " AS " + PARTITION_COLUMN + i);
            partitions.add(PARTITION_COLUMN + i);
        }
        Path folder = work.resolve("parts");
        String rows = copies.isEmpty() ? query : "SELECT *, " + String.join(", ", copies) + " FROM (" + query + ")";
        boolean parquet = output.format().equals("parquet");
        Map<Path, Long> counts = new HashMap<>();
        try (Statement s = db.createStatement()) {
            String copy = "COPY (" + rows + ") TO " + literal(folder.toString()) + " (" + output.copyOptions()
                    + ", FILE_SIZE_BYTES " + output.targetFileBytes()
                    + (partitions.isEmpty() ? "" : ", PARTITION_BY (" + String.join(", ", partitions) + ")")
                    + (parquet ? ", RETURN_STATS" : "") + ")";
            if (parquet) {
                try (ResultSet written = s.executeQuery(copy)) {
                    while (written.next()) {
                        counts.put(Path.of(written.getString("filename")).toAbsolutePath().normalize(),
                                written.getLong("count"));
                    }
                }
            } else {
                s.execute(copy);
            }
        }
        List<ChunkOutput.Part> parts = new ArrayList<>();
        for (Path file : files(folder)) {
            Long rowsInFile = counts.get(file.toAbsolutePath().normalize());
            parts.add(part(folder.relativize(file), file, rowsInFile != null ? rowsInFile : rows(file)));
        }
        return parts;
    }

    /** The files written, by split in the order the definition names them, then by folder and file number. */
    private List<Path> files(Path folder) {
        List<SplitName> splits = definition.split().map(Split::fractions).map(f -> List.copyOf(f.keySet()))
                .orElse(List.of());
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted(Comparator
                    .comparing((Path f) -> splits.isEmpty() ? 0 : splits.indexOf(splitOf(folder.relativize(f))))
                    .thenComparing(f -> folder.relativize(f).getParent() == null ? ""
                            : folder.relativize(f).getParent().toString())
                    .thenComparing(PartWriter::fileNumber)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A written file as a part: its split, and its partition folders named after the real columns. */
    private ChunkOutput.Part part(Path relative, Path file, long rows) {
        StringBuilder partition = new StringBuilder();
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String folder = relative.getName(i).toString();
            if (folder.startsWith(PARTITION_COLUMN)) {
                int column = Integer.parseInt(folder.substring(PARTITION_COLUMN.length(), folder.indexOf('=')));
                partition.append(definition.output().partitionBy().get(column))
                        .append(folder.substring(folder.indexOf('='))).append('/');
            }
        }
        SplitName split = definition.split().isPresent() ? splitOf(relative) : ChunkOutput.NO_SPLIT;
        return new ChunkOutput.Part(split, partition.toString(), file, rows);
    }

    /** The split of a file DuckDB wrote under {@code split=NAME/}; the engine names every row's split. */
    private static SplitName splitOf(Path relative) {
        String first = relative.getName(0).toString();
        if (!first.startsWith(SPLIT_COLUMN + "=")) {
            throw new IllegalStateException("the engine wrote " + relative + " outside a split's folder");
        }
        return new SplitName(first.substring(SPLIT_COLUMN.length() + 1));
    }

    /** DuckDB numbers the files of a folder data_0, data_1, …; 10 comes after 9. */
    private static long fileNumber(Path file) {
        String name = file.getFileName().toString();
        String digits = name.replaceAll("^data_(\\d+).*$", "$1");
        return digits.equals(name) ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    /** Rows in a written CSV or JSON Lines file, read back. */
    private long rows(Path file) throws SQLException {
        String reader = switch (definition.output().format()) {
            case "parquet" -> "read_parquet(" + literal(file.toString()) + ")";
            case "csv" -> "read_csv(" + literal(file.toString()) + ", header = true, all_varchar = true)";
            default -> "read_json(" + literal(file.toString()) + ", format = 'newline_delimited')";
        };
        return ChunkTransformer.count(db, "SELECT count(*) FROM " + reader);
    }
}
