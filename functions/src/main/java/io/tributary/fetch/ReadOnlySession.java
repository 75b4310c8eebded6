package io.tributary.fetch;

import io.tributary.definition.sql.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Query;
import org.postgresql.jdbc.PreferQueryMode;

/**
 * A source's connection, made to read only: the database, not the text of the query, keeps it from writing.
 *
 * <p>On PostgreSQL the session starts read-only ({@code default_transaction_read_only}, see {@link SqlLogin}) and its
 * one transaction is {@code BEGIN READ ONLY}, checked before the query runs. The query goes as one query expression
 * ({@link #queryExpression}), and the driver's own parser must find exactly one statement in the text it would send
 * (else nothing is sent), over the extended protocol, whose Parse message holds one command: so no {@code COMMIT},
 * {@code SET} or second statement can end or change the read-only transaction. The transaction is rolled back, never
 * committed, so what a read-only transaction still allows (a large object's {@code lo_create}) is undone.
 *
 * <p>On SQL Server the driver offers no read-only session: the query runs in one transaction
 * ({@code SET IMPLICIT_TRANSACTIONS ON}) that is rolled back, and {@code validate} has refused its statement words;
 * a login with read rights only ({@code db_datareader}) is the database's own guarantee.
 */
final class ReadOnlySession implements AutoCloseable {

    private final Connection connection;
    private final SqlDialect dialect;

    private ReadOnlySession(Connection connection, SqlDialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /**
     * Starts the read-only transaction on {@code connection} (closed with the session).
     *
     * @throws SourceException CONFIGURATION when the URL's driver options would let the query write or send more than
     *                         one statement
     */
    static ReadOnlySession begin(Connection connection, SqlDialect dialect, String redactedUrl) throws SQLException {
        ReadOnlySession session = new ReadOnlySession(connection, dialect);
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            if (dialect == SqlDialect.POSTGRES) {
                session.requireReadOnlyPostgres(redactedUrl);
            }
            return session;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * {@code query} as the one query expression a request may be: on PostgreSQL a subquery,
     * {@code SELECT * FROM (query) tributary_source}, where a {@code ;}, a data-modifying {@code WITH} or
     * {@code SELECT … INTO} is an error; on SQL Server, which allows neither {@code WITH} nor {@code ORDER BY} in a
     * subquery, the query as written.
     */
    static String queryExpression(String query, SqlDialect dialect) {
        // New lines keep a '--' comment at the end of the query from swallowing the wrapper.
        return dialect == SqlDialect.POSTGRES ? "SELECT * FROM (\n" + query + "\n) tributary_source" : query;
    }

    /**
     * Prepares {@code sql}, forward-only and read-only.
     *
     * @throws SourceException REJECTED, before anything is sent, when PostgreSQL's driver would send more than one
     *                         statement
     */
    PreparedStatement prepare(String sql, String shownQuery) throws SQLException {
        if (dialect == SqlDialect.POSTGRES) {
            requireOneStatement(sql, shownQuery);
        }
        return connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    /** Ends the transaction by rolling it back: a source leaves nothing behind. Closes the connection. */
    @Override
    public void close() throws SQLException {
        try (connection) {
            connection.rollback();
        }
    }

    /** The transaction is read-only, and requests go over the extended protocol; timestamps read as UTC. */
    private void requireReadOnlyPostgres(String redactedUrl) throws SQLException {
        if (connection.unwrap(PGConnection.class).getPreferQueryMode() == PreferQueryMode.SIMPLE) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the JDBC URL " + redactedUrl + " sets "
                    + "preferQueryMode=simple, which lets one request carry several statements; a source sends one "
                    + "statement per request: remove preferQueryMode from source.sql.url");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'UTC'"); // timestamps compare with instants as UTC
            try (ResultSet readOnly = statement.executeQuery("SELECT current_setting('transaction_read_only')")) {
                readOnly.next();
                if (!"on".equals(readOnly.getString(1))) {
                    throw new SourceException(SourceException.Kind.CONFIGURATION, "the connection to " + redactedUrl
                            + " is not read-only (its driver options turn it off: readOnlyMode=ignore, or options "
                            + "that set default_transaction_read_only); a source only reads: remove them from "
                            + "source.sql.url");
                }
            }
        }
    }

    /** Asks PostgreSQL's driver how many statements it finds in {@code sql}, as it would split them to send. */
    private void requireOneStatement(String sql, String shownQuery) throws SQLException {
        Query parsed = connection.unwrap(BaseConnection.class).getQueryExecutor().createQuery(sql, true, true).query;
        Query[] statements = parsed.getSubqueries();
        if (statements != null && statements.length > 1) {
            throw new SourceException(SourceException.Kind.REJECTED, "the query would go to the database as "
                    + statements.length + " statements (PostgreSQL's driver splits the text at each ';' outside "
                    + "quotes, parentheses and comments), but a source runs one SELECT; nothing was sent: remove the "
                    + "';' and what follows it from source.sql.query. Query: " + shownQuery);
        }
    }
}
