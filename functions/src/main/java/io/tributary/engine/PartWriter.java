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
import java.util.Optional;

/**
 * Writes a chunk's result (Parquet, CSV or JSON Lines): a single file, or, for a definition with a split, one
 * file per split that has rows. Each row's split is computed with the steps ({@link #splitColumn}), so each
 * file is one scan of the checked rows; its row count is what its COPY reports, never a read back.
 */
final class PartWriter {

    private static final String SPLIT_COLUMN = ChunkTransformer.INTERNAL + "split";

    private final Connection db;
    private final Path work;
    private final PipelineDefinition definition;

    PartWriter(Connection db, Path work, PipelineDefinition definition) {
        this.db = db;
        this.work = work;
        this.definition = definition;
    }

    /** The column naming each row's split, to compute with the steps; empty without a split. */
    Optional<String> splitColumn() {
        return definition.split().map(split -> split.toSql() + " AS " + SPLIT_COLUMN);
    }

    /** Writes the rows of {@code query}, which carries the {@link #splitColumn} if there is one. */
    List<ChunkOutput.Part> write(String query) throws SQLException {
        Output output = definition.output();
        if (definition.split().isEmpty()) {
            Path file = work.resolve("part" + output.extension());
            return List.of(new ChunkOutput.Part(ChunkOutput.NO_SPLIT, file, copy(query, file)));
        }
        Split split = definition.split().get();
        Path folder = work.resolve("parts");
        List<ChunkOutput.Part> parts = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (String name : split.fractions().keySet()) {
                Path file = folder.resolve(name + output.extension());
                long rows = copy("SELECT * EXCLUDE (" + SPLIT_COLUMN + ") FROM (" + query + ") WHERE " + SPLIT_COLUMN
                        + " = " + literal(name), file);
                if (rows == 0) {
                    Files.delete(file);
                } else {
                    parts.add(new ChunkOutput.Part(name, file, rows));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    /** Writes the rows of {@code query} to {@code file}; returns how many. */
    private long copy(String query, Path file) throws SQLException {
        try (Statement s = db.createStatement()) {
            return s.executeUpdate("COPY (" + query + ") TO " + literal(file.toString()) + " ("
                    + definition.output().copyOptions() + ")");
        }
    }
}
