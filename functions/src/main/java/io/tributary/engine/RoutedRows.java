package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;
import static io.tributary.definition.sql.SqlText.literal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads one key bucket's routed rows, from the Parquet files chunks wrote, as the view {@code parsed}, typed as the
 * chunks reported (so that a bucket no chunk wrote to still has its columns). Every row parsed already: none is
 * rejected here.
 */
final class RoutedRows implements SourceParse {

    private final Map<String, String> columns;
    /** The columns in the order the chunks reported them. */
    private final List<String> orderedColumns;
    private final List<Path> files;

    RoutedRows(Map<String, String> columns, List<Path> files) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("routed rows have at least one column");
        }
        this.columns = Map.copyOf(columns);
        this.orderedColumns = List.copyOf(columns.keySet());
        this.files = List.copyOf(files);
    }

    @Override
    public void load(Connection db, Path input) throws SQLException {
        String typed = orderedColumns.stream().map(c -> "CAST(" + identifier(c) + " AS " + columns.get(c) + ") AS "
                + identifier(c)).collect(Collectors.joining(", "));
        String from = files.isEmpty()
                ? "(SELECT " + orderedColumns.stream().map(c -> "NULL AS " + identifier(c))
                        .collect(Collectors.joining(", ")) + ") WHERE false"
                : "read_parquet([" + files.stream().map(f -> literal(f.toString())).collect(Collectors.joining(", "))
                        + "])";
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TEMP VIEW parsed AS SELECT " + typed + " FROM " + from);
        }
    }

    @Override
    public void dropParsed(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP VIEW parsed");
        }
    }

    @Override
    public long rowsIn(Connection db) throws SQLException {
        return ChunkTransformer.count(db, "SELECT count(*) FROM parsed");
    }

    @Override
    public long rowsRejected(Connection db) {
        return 0;
    }

    @Override
    public void writeRejects(Connection db, Path rejects, Optional<String> others, long lineOffset)
            throws SQLException {
        try (Statement s = db.createStatement()) {
            // A routed row's ROW is its line in the source already; its record stayed with its chunk.
            s.execute("COPY (SELECT * FROM (" + others.orElse("SELECT NULL::BIGINT, NULL, NULL, NULL, NULL WHERE false")
                    + ") AS dropped(line, \"column\", error, reason, text) ORDER BY line NULLS LAST) TO "
                    + literal(rejects.toString()) + " (FORMAT json)");
        }
    }
}
