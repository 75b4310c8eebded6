package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a Parquet file into parts of about a chunk's size each, its rows in file order, so that a large Parquet source
 * is transformed side by side as a large CSV is: part {@code i}'s row {@code r} is the source's row {@code r} plus the
 * rows of the parts before it. One thread writes the parts, which keeps the rows in order.
 */
public final class ParquetChunks {

    /** One part: its file and rows, and how many rows of the source come before it. */
    public record Part(Path file, long rows, long rowsBefore) {
    }

    private ParquetChunks() {
    }

    /**
     * Writes {@code source}'s rows into parts of about {@code chunkBytes} under {@code folder} (both inside
     * {@code workDir}), within {@code limits}.
     *
     * @throws TransformFailedException when the source cannot be read as Parquet
     */
    public static List<Part> cut(Path source, Path folder, long chunkBytes, EngineLimits limits, Path workDir) {
        EngineLimits oneThread = limits.withThreads(1);
        List<Part> parts = new ArrayList<>();
        try (Connection db = Sandbox.open(oneThread, workDir.toAbsolutePath().normalize());
             Statement s = db.createStatement();
             ResultSet written = s.executeQuery("COPY (SELECT * FROM read_parquet(" + literal(source.toString())
                     + ")) TO " + literal(folder.toString()) + " (FORMAT parquet, COMPRESSION snappy, FILE_SIZE_BYTES "
                     + chunkBytes + ", RETURN_STATS)")) {
            List<Part> unordered = new ArrayList<>();
            while (written.next()) {
                unordered.add(new Part(Path.of(written.getString("filename")), written.getLong("count"), 0));
            }
            unordered.sort(Comparator.comparingLong(p -> fileNumber(p.file())));
            long before = 0;
            for (Part part : unordered) {
                parts.add(new Part(part.file(), part.rows(), before));
                before += part.rows();
            }
        } catch (SQLException e) {
            Sandbox.spillLimitReached(e, limits).ifPresent(full -> {
                throw full;
            });
            throw TransformFailedException.wrongFormat("the source cannot be read as Parquet: "
                    + ChunkTransformer.withoutPath(ChunkTransformer.firstLine(e), source)
                    + "; check the file, or the source's \"format\"", e);
        }
        return parts;
    }

    /** DuckDB numbers a folder's files data_0, data_1, …. */
    private static long fileNumber(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.replaceAll("^data_(\\d+).*$", "$1"));
    }
}
