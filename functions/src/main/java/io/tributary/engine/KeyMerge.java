package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.TableOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The engine's part of merging a run's rows into a table by key: which of the table's files may hold the run's keys
 * (from each file's key range), which of those do, and the rows that replace them, written as the table's parts. A
 * key's newest row wins by the table's ordering column (the run's row on a tie); a winning row the delete condition
 * marks removes its key.
 */
public final class KeyMerge {

    private static final String SOURCE = ChunkTransformer.INTERNAL + "src";
    private static final String DELETE = ChunkTransformer.INTERNAL + "del";
    private static final String FILE = ChunkTransformer.INTERNAL + "file";

    private final EngineLimits limits;

    public KeyMerge(EngineLimits limits) {
        this.limits = limits;
    }

    /** A table file's range of its first key column, as text; both null when unknown (the file is always read). */
    public record KeyRange(String path, String min, String max) {
    }

    /**
     * What a merge wrote.
     *
     * @param touched  the table files (their {@code path}s) that held one of the run's keys: rewritten
     * @param parts    the files that replace them and add the run's new keys
     * @param ranges   each part's key range, by part file
     * @param inserted keys the table did not have
     * @param updated  keys whose row the run replaced
     * @param deleted  keys the run removed
     * @param copied   rows of the touched files kept as they were
     */
    public record Merged(List<String> touched, List<ChunkOutput.Part> parts, Map<Path, KeyRange> ranges, long inserted,
                         long updated, long deleted, long copied) {
    }

    /**
     * The table files, among {@code ranges}, whose key range holds one of the keys in {@code incoming} (the run's
     * Parquet parts, inside {@code work}).
     */
    public List<String> candidates(PipelineDefinition definition, List<Path> incoming, List<KeyRange> ranges, Path work) {
        TableOutput table = table(definition);
        if (ranges.isEmpty()) {
            return List.of();
        }
        String key = identifier(table.keys().get(0));
        try (Connection db = Sandbox.open(limits, work); Statement s = db.createStatement()) {
            s.execute("CREATE TEMP TABLE keys AS SELECT DISTINCT " + key + " AS k FROM " + read(incoming));
            String type = type(db, "keys", "k");
            StringBuilder values = new StringBuilder();
            for (KeyRange r : ranges) {
                values.append(values.isEmpty() ? "" : ", ").append("(").append(literal(r.path())).append(", ")
                        .append(r.min() == null ? "NULL" : literal(r.min())).append(", ")
                        .append(r.max() == null ? "NULL" : literal(r.max())).append(")");
            }
            s.execute("CREATE TEMP TABLE ranges AS SELECT path, CAST(lo AS " + type + ") AS lo, CAST(hi AS " + type
                    + ") AS hi FROM (VALUES " + values + ") v(path, lo, hi)");
            List<String> candidates = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT path FROM ranges WHERE lo IS NULL OR hi IS NULL "
                    + "OR EXISTS (SELECT 1 FROM keys WHERE k BETWEEN lo AND hi) ORDER BY path")) {
                while (r.next()) {
                    candidates.add(r.getString(1));
                }
            }
            return candidates;
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed to find the files that hold the run's keys: "
                    + ChunkTransformer.firstLine(e), e);
        }
    }

    /**
     * Merges {@code incoming} (the run's parts) with {@code candidates} (table files, by local copy → table path, all
     * inside {@code work}), writing the parts that replace the touched files under {@code work/parts/}.
     *
     * @param columns the table's data columns, in order
     * @throws TransformFailedException when the delete condition cannot run on the rows
     */
    public Merged merge(PipelineDefinition definition, List<String> columns, List<Path> incoming,
                        Map<Path, String> candidates, Path work) {
        TableOutput table = table(definition);
        String keys = table.keys().stream().map(k -> identifier(k)).collect(Collectors.joining(", "));
        String order = identifier(table.orderBy()) + " DESC NULLS LAST";
        String deleted = table.deleteCondition().map(c -> "((" + c + ") IS TRUE)").orElse("false");
        String select = columns.stream().map(c -> identifier(c)).collect(Collectors.joining(", "));
        try (Connection db = Sandbox.open(limits, work); Statement s = db.createStatement()) {
            // The run's newest row of each key, and whether it deletes the key.
            s.execute("CREATE TEMP TABLE incoming AS SELECT " + select + ", " + deleted + " AS " + DELETE + " FROM "
                    + read(incoming) + " QUALIFY row_number() OVER (PARTITION BY " + keys + " ORDER BY " + order
                    + ") = 1");
            List<String> touched = new ArrayList<>();
            if (!candidates.isEmpty()) {
                String files = candidates.keySet().stream().map(p -> literal(p.toString()))
                        .collect(Collectors.joining(", ", "[", "]"));
                s.execute("CREATE TEMP TABLE candidate AS SELECT " + select + ", filename AS " + FILE
                        + " FROM read_parquet(" + files + ", filename = true)");
                // Only the files that hold one of the run's keys are rewritten; the other candidates stay.
                s.execute("CREATE TEMP TABLE existing AS SELECT * FROM candidate WHERE " + FILE + " IN (SELECT "
                        + FILE + " FROM candidate SEMI JOIN incoming USING (" + keys + "))");
                s.execute("DROP TABLE candidate");
                try (ResultSet r = s.executeQuery("SELECT DISTINCT " + FILE + " FROM existing ORDER BY 1")) {
                    while (r.next()) {
                        touched.add(candidates.get(Path.of(r.getString(1))));
                    }
                }
            } else {
                s.execute("CREATE TEMP TABLE existing AS SELECT " + select + ", NULL::VARCHAR AS " + FILE
                        + " FROM incoming WHERE false");
            }
            s.execute("CREATE TEMP TABLE winners AS SELECT * FROM (SELECT " + select + ", 0 AS " + SOURCE + ", false AS "
                    + DELETE + " FROM existing UNION ALL SELECT " + select + ", 1, " + DELETE + " FROM incoming) "
                    + "QUALIFY row_number() OVER (PARTITION BY " + keys + " ORDER BY " + order + ", " + SOURCE
                    + " DESC) = 1");
            long[] counts = counts(s, keys);
            PartWriter writer = new PartWriter(db, work, definition);
            List<ChunkOutput.Part> parts = writer.write("SELECT " + select + " FROM winners WHERE NOT " + DELETE
                    + " ORDER BY " + keys);
            Map<Path, KeyRange> ranges = new LinkedHashMap<>();
            for (ChunkOutput.Part part : parts) {
                ranges.put(part.file(), range(s, part.file(), table.keys().get(0)));
            }
            return new Merged(touched, parts, ranges, counts[0], counts[1], counts[2], counts[3]);
        } catch (SQLException e) {
            throw new TransformFailedException("the merge failed: " + ChunkTransformer.firstLine(e)
                    + table.deleteCondition().map(c -> " (output.table.deleteWhen is \"" + c + "\")").orElse(""), e);
        }
    }

    /** Keys inserted, updated and deleted, and rows copied. */
    private static long[] counts(Statement s, String keys) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT "
                + "count(*) FILTER (WHERE w." + SOURCE + " = 1 AND NOT w." + DELETE + " AND e.k IS NULL), "
                + "count(*) FILTER (WHERE w." + SOURCE + " = 1 AND NOT w." + DELETE + " AND e.k IS NOT NULL), "
                + "count(*) FILTER (WHERE w." + SOURCE + " = 1 AND w." + DELETE + " AND e.k IS NOT NULL), "
                + "(SELECT count(*) FROM existing) - count(*) FILTER (WHERE w." + SOURCE + " = 1 AND e.k IS NOT NULL) "
                + "FROM winners w LEFT JOIN (SELECT DISTINCT " + keys + ", true AS k FROM existing) e USING (" + keys
                + ")")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)};
        }
    }

    private static KeyRange range(Statement s, Path file, String key) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT min(" + identifier(key) + ")::VARCHAR, max(" + identifier(key)
                + ")::VARCHAR FROM read_parquet(" + literal(file.toString()) + ")")) {
            r.next();
            return new KeyRange(file.toString(), r.getString(1), r.getString(2));
        }
    }

    private static String read(List<Path> files) {
        return "read_parquet(" + files.stream().map(p -> literal(p.toString())).collect(Collectors.joining(", ", "[", "]"))
                + ")";
    }

    private static String type(Connection db, String table, String column) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = "
                     + literal(table) + " AND column_name = " + literal(column))) {
            r.next();
            return r.getString(1);
        }
    }

    private static TableOutput table(PipelineDefinition definition) {
        return definition.output().tableOutput().filter(t -> t.mode() == TableOutput.Mode.MERGE)
                .orElseThrow(() -> new IllegalArgumentException(definition.name() + " does not merge into a table"));
    }
}
