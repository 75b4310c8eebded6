package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

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
import java.util.List;
import java.util.stream.Stream;

/** Writes rows to one Parquet file per key bucket, in one pass: DuckDB partitions them by the bucket's hash. */
final class RowRouter {

    private RowRouter() {
    }

    /** Writes the rows of {@code table} into {@code folder}, one file per bucket that gets rows; lists them. */
    static List<RoutedChunk.Bucket> write(Connection db, String table, KeyRouting routing, int buckets, Path folder)
            throws SQLException {
        List<RoutedChunk.Bucket> written = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet stats = s.executeQuery("COPY (SELECT *, "
                + routing.bucketSql(buckets) + " AS " + KeyRouting.BUCKET + " FROM " + table + ") TO "
                + literal(folder.toString()) + " (FORMAT parquet, COMPRESSION snappy, PARTITION_BY ("
                + KeyRouting.BUCKET + "), RETURN_STATS)")) {
            while (stats.next()) {
                Path file = Path.of(stats.getString("filename"));
                String partition = file.getParent().getFileName().toString();
                written.add(new RoutedChunk.Bucket(Integer.parseInt(partition.substring(partition.indexOf('=') + 1)),
                        file, stats.getLong("count")));
            }
        }
        if (written.stream().map(RoutedChunk.Bucket::bucket).distinct().count() != written.size()) {
            throw new IllegalStateException("a bucket's rows were written to more than one file: " + written);
        }
        written.sort(Comparator.comparingInt(RoutedChunk.Bucket::bucket));
        return written;
    }
}
