package io.tributary.bench;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.SplitName;
import io.tributary.definition.sql.SqlText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows of (g)'s accounts table (ids 1 to N) and of the runs that change some of them, written by DuckDB as the
 * engine writes a run's parts: sorted by id, split by the definition's own split expression into
 * {@code split=NAME/} folders, a file closed at the definition's target size.
 */
final class AccountRows {

    private static final String SPLIT = "__split";

    /**
     * A file written: where, relative to the folder written into ({@code split=train/data_0.parquet}), and its ids'
     * range as text (the key range a merge tags its files with).
     */
    record File(Path file, String relative, SplitName split, long rows, long bytes, String keyMin, String keyMax) {
    }

    private final PipelineDefinition definition;

    /** @param definition the accounts' definition: its split and output decide the files */
    AccountRows(PipelineDefinition definition) {
        this.definition = definition;
    }

    /** The table's rows, ids 1 to {@code rows}, as a year of activity. */
    List<File> table(long rows, Path folder) {
        return write("SELECT id, (['free', 'team', 'business', 'enterprise'])[1 + (hash(id) % 4)::INTEGER] AS plan, "
                + "((hash(id, 1) % 1000000) / 100.0)::DOUBLE AS score, (hash(id, 2) % 5000)::INTEGER AS visits, "
                + "TIMESTAMP '2026-01-01' + to_seconds((hash(id, 3) % 31536000)::BIGINT) AS updated "
                + "FROM range(1, " + (rows + 1) + ") t(id)", folder);
    }

    /**
     * A run that changes the accounts {@code ids} (a query of one column, {@code id}, each once): a new plan, score
     * and visit count, updated on day {@code day} of 2027, after every row before.
     */
    List<File> changes(String ids, int day, Path folder) {
        return write("SELECT id, 'enterprise' AS plan, ((hash(id, 4) % 1000000) / 100.0)::DOUBLE AS score, "
                + "(hash(id, 5) % 5000)::INTEGER AS visits, "
                + "TIMESTAMP '2027-01-01' + to_days(" + day + ") + to_milliseconds(id % 86400000) AS updated "
                + "FROM (" + ids + ")", folder);
    }

    /** The ids from {@code first} to {@code last}: the most recently active accounts of a CRM, say. */
    static String range(long first, long last) {
        return "SELECT id FROM range(" + first + ", " + (last + 1) + ") t(id)";
    }

    /** {@code count} ids drawn at random (the same each time) from 1 to {@code rows}. */
    static String sample(long rows, long count) {
        return "SELECT id FROM range(1, " + (rows + 1) + ") t(id) USING SAMPLE reservoir(" + count
                + " ROWS) REPEATABLE (7)";
    }

    /** The ids of {@code query} and {@code more}, each once. */
    static String union(String query, List<String> more) {
        return more.isEmpty() ? query : "SELECT DISTINCT id FROM (" + query + " UNION ALL SELECT unnest(["
                + more.stream().map(v -> SqlText.literal(v) + "::BIGINT").collect(Collectors.joining(", "))
                + "]) AS id)";
    }

    private List<File> write(String rows, Path folder) {
        String split = definition.split().orElseThrow().toSql();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            Files.createDirectories(folder);
            s.execute("SET temp_directory=" + SqlText.literal(folder.resolve(".spill").toString()));
            // One thread writes the rows in id order, so each file holds a narrow range of ids.
            s.execute("SET threads=1");
            s.execute("COPY (SELECT *, " + split + " AS " + SPLIT + " FROM (" + rows + ") ORDER BY id) TO "
                    + SqlText.literal(folder.resolve("out").toString()) + " (" + definition.output().copyOptions()
                    + ", FILE_SIZE_BYTES " + definition.output().targetFileBytes() + ", PARTITION_BY (" + SPLIT + "))");
            List<File> files = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT filename, count(*), min(id)::VARCHAR, max(id)::VARCHAR FROM "
                    + "read_parquet(" + SqlText.literal(folder.resolve("out") + "/*/*.parquet") + ", filename = true) "
                    + "GROUP BY filename ORDER BY filename")) {
                while (r.next()) {
                    Path file = Path.of(r.getString(1));
                    String splitFolder = file.getParent().getFileName().toString();
                    SplitName name = new SplitName(splitFolder.substring(SPLIT.length() + 1));
                    files.add(new File(file, "split=" + name + "/" + file.getFileName(), name, r.getLong(2),
                            Files.size(file), r.getString(3), r.getString(4)));
                }
            }
            return files;
        } catch (SQLException e) {
            throw new IllegalStateException("the bench could not write the accounts' rows: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
