package io.tributary.engine;

import static io.tributary.definition.SqlText.literal;

import io.tributary.definition.Output;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a chunk's result (Parquet, CSV or JSON Lines) in one pass: a single file, or, for a definition with a split,
 * one file per split that has rows (DuckDB partitions by the split each row hashes to).
 */
final class PartWriter {

    private static final String SPLIT_COLUMN = "__tributary_split";

    private final Connection db;
    private final Path work;
    private final PipelineDefinition definition;

    PartWriter(Connection db, Path work, PipelineDefinition definition) {
        this.db = db;
        this.work = work;
        this.definition = definition;
    }

    /** Writes the rows of {@code query}. */
    List<ChunkOutput.Part> write(String query) throws SQLException {
        Output output = definition.output();
        String options = output.copyOptions();
        if (definition.split().isEmpty()) {
            Path file = work.resolve("part" + output.extension());
            execute("COPY (" + query + ") TO " + literal(file.toString()) + " (" + options + ")");
            return List.of(new ChunkOutput.Part(ChunkOutput.NO_SPLIT, file, rows(file)));
        }
        Split split = definition.split().get();
        Path folder = work.resolve("parts");
        execute("COPY (SELECT *, " + split.toSql() + " AS " + SPLIT_COLUMN + " FROM (" + query + ")) TO "
                + literal(folder.toString()) + " (" + options + ", PARTITION_BY (" + SPLIT_COLUMN + "))");
        List<ChunkOutput.Part> parts = new ArrayList<>();
        for (String name : split.fractions().keySet()) {
            Path partition = folder.resolve(SPLIT_COLUMN + "=" + name);
            if (!Files.isDirectory(partition)) {
                continue;
            }
            try (Stream<Path> files = Files.list(partition)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    parts.add(new ChunkOutput.Part(name, file, rows(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parts;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    /** Rows in a written file: from Parquet's metadata, or by reading CSV or JSON Lines back. */
    private long rows(Path file) throws SQLException {
        String reader = switch (definition.output().format()) {
            case "parquet" -> "read_parquet(" + literal(file.toString()) + ")";
            case "csv" -> "read_csv(" + literal(file.toString()) + ", header = true, all_varchar = true)";
            default -> "read_json(" + literal(file.toString()) + ", format = 'newline_delimited')";
        };
        return ChunkTransformer.count(db, "SELECT count(*) FROM " + reader);
    }
}
