package io.tributary.fetch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.SqlSource;
import io.tributary.definition.sql.SqlQueryText;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code source.sql} over JDBC and writes each row as one JSON object per line (see {@link SqlColumn} for how
 * values are typed). It streams: the driver fetches {@code fetchSize} rows per round trip, inside a read-only
 * transaction that is rolled back at the end ({@link ReadOnlySession}: PostgreSQL uses a fetch size only in a
 * transaction), on a forward-only cursor, and each row is written as it arrives, so a table of any size never sits
 * in memory.
 *
 * <p>With an incremental cursor the query is wrapped ({@link SqlCursor}) to read only the rows after the last
 * committed run's high-water mark ({@link FetchContext#watermark()}, else {@link Incremental#initial()}, else all rows:
 * the first run is a full load), in cursor order. Failures are {@link SourceException}s: unreachable, credentials,
 * rejected (the database refused the query) or configuration (a missing setting, parameter or cursor column).
 */
public final class SqlFetcher implements Fetcher {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final SqlSource source;
    private final Optional<Incremental> incremental;

    /**
     * @param source      the definition's {@code source.sql}
     * @param incremental the definition's {@code source.incremental}, if the load is incremental
     */
    public SqlFetcher(SqlSource source, Optional<Incremental> incremental) {
        this.source = source;
        this.incremental = incremental;
    }

    @Override
    public FetchResult fetch(FetchContext context, OutputStream out) {
        SqlLogin login = SqlLogin.resolve(source, context.settings());
        SqlQueryText text = SqlQueryText.parse(source.query(), login.dialect());
        SqlParameters parameters = SqlParameters.of(text.parameters(), context.parameters());
        SqlFailures failures = new SqlFailures(login, source.queryTimeoutSeconds(), context.secrets());
        Connection connection;
        try {
            connection = login.connect();
        } catch (SQLException e) {
            throw failures.connecting(e);
        }
        String query = text.jdbcText();
        try (ReadOnlySession session = ReadOnlySession.begin(connection, login.dialect(), login.redactedUrl())) {
            String sent = ReadOnlySession.queryExpression(query, login.dialect());
            Optional<SqlCursor> cursor = Optional.empty();
            Optional<String> mark = Optional.empty();
            if (incremental.isPresent()) {
                cursor = Optional.of(SqlCursor.find(incremental.get(), describe(session, sent, query, parameters,
                        login)));
                mark = context.watermark().or(() -> incremental.get().initial());
                query = cursor.get().wrap(query, mark.isPresent());
                sent = query;
            }
            try (PreparedStatement statement = session.prepare(sent, query)) {
                statement.setFetchSize(source.fetchSize());
                statement.setQueryTimeout(source.queryTimeoutSeconds());
                parameters.bind(statement, login.isPostgres());
                if (mark.isPresent()) {
                    cursor.get().bind(statement, parameters.count() + 1, mark.get());
                }
                String request = request(login, query, parameters, cursor, mark);
                return write(statement, cursor, out, request);
            }
        } catch (SQLException e) {
            throw failures.querying(e, query);
        }
    }

    /** The columns the query returns, asked of the database before it runs. */
    private static List<SqlColumn> describe(ReadOnlySession session, String sent, String query,
                                            SqlParameters parameters, SqlLogin login) throws SQLException {
        try (PreparedStatement statement = session.prepare(sent, query)) {
            parameters.bind(statement, login.isPostgres());
            var meta = statement.getMetaData();
            if (meta == null) {
                throw new SourceException(SourceException.Kind.REJECTED, "the database did not describe the query's "
                        + "columns, so the incremental cursor cannot be found. Query: " + query);
            }
            return SqlColumn.of(meta);
        }
    }

    private static FetchResult write(PreparedStatement statement, Optional<SqlCursor> cursor, OutputStream out,
                                     String request) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<SqlColumn> columns = SqlColumn.of(rows.getMetaData());
            requireDistinctNames(columns);
            int cursorIndex = cursor.map(c -> columns.stream().filter(col -> col.label().equals(c.label()))
                    .findFirst().orElseThrow().index() - 1).orElse(-1);
            CountingStream counted = new CountingStream(out);
            long records = 0;
            try (JsonGenerator json = JSON.createGenerator(counted, JsonEncoding.UTF8)) {
                json.setRootValueSeparator(null); // each record ends with its own new line
                while (rows.next()) {
                    json.writeStartObject();
                    for (SqlColumn column : columns) {
                        Object value = column.value(rows);
                        json.writeFieldName(column.label());
                        SqlColumn.write(json, value);
                        if (column.index() - 1 == cursorIndex) {
                            cursor.get().saw(value);
                        }
                    }
                    json.writeEndObject();
                    json.writeRaw('\n');
                    records++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the fetched rows", e);
            }
            return new FetchResult(records, counted.count, cursor.flatMap(SqlCursor::highWatermark),
                    List.of(request));
        }
    }

    /** Two result columns of one name would make two fields of one name in each record. */
    private static void requireDistinctNames(List<SqlColumn> columns) {
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (SqlColumn column : columns) {
            if (!seen.add(column.label().toLowerCase(Locale.ROOT))) {
                twice.add(column.label());
            }
        }
        if (!twice.isEmpty()) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the query returns more than one column "
                    + "named " + String.join(", ", twice) + "; give each column a name of its own (… AS other_name) "
                    + "in source.sql.query");
        }
    }

    /** What was asked of the database, for lineage: where, the query, and its parameters; never a secret. */
    private static String request(SqlLogin login, String query, SqlParameters parameters, Optional<SqlCursor> cursor,
                                  Optional<String> mark) {
        List<String> bound = new ArrayList<>();
        if (parameters.count() > 0) {
            bound.add(parameters.describe());
        }
        mark.ifPresent(m -> bound.add(cursor.orElseThrow().label() + " > " + m));
        return "SQL " + login.redactedUrl() + ": " + query
                + (bound.isEmpty() ? "" : " [" + String.join("; ", bound) + "]");
    }

    /** Counts the bytes written through it, and leaves the stream it wraps open. */
    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
