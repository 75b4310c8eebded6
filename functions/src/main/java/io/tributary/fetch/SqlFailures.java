package io.tributary.fetch;

import io.tributary.run.SecretMask;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * Turns a JDBC driver's {@link SQLException} into a classified {@link SourceException}, by SQLState (and SQL Server's
 * error number), never by message text: what went wrong, where, and what to check. Secrets never reach a message.
 */
final class SqlFailures {

    /** SQL Server's "Login failed for user". */
    private static final int SQL_SERVER_LOGIN_FAILED = 18456;

    private final SqlLogin login;
    private final int queryTimeoutSeconds;
    private final SecretMask secrets;

    /** @param secrets masks the run's secrets in what the driver says */
    SqlFailures(SqlLogin login, int queryTimeoutSeconds, SecretMask secrets) {
        this.login = login;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.secrets = secrets;
    }

    /** A failure to connect or log in. */
    SourceException connecting(SQLException e) {
        String where = login.redactedUrl();
        String said = secrets.mask(login.redact(e.getMessage()));
        if (isCredentials(e)) {
            return new SourceException(SourceException.Kind.CREDENTIALS, "the database at " + where + " refused the "
                    + "login (" + state(e) + said + "); " + login.credentialsHint(), e);
        }
        if (isUnreachable(e)) {
            return new SourceException(SourceException.Kind.UNREACHABLE, "cannot reach the database at " + where + " ("
                    + state(e) + said + "); check the host and port in source.sql.url, that the database is running, "
                    + "and that a firewall lets the app in", e);
        }
        if ("3D000".equals(e.getSQLState())) {
            return new SourceException(SourceException.Kind.CONFIGURATION, "the database named in " + where
                    + " does not exist (" + said + "); check source.sql.url", e);
        }
        return new SourceException(SourceException.Kind.REJECTED, "the database at " + where + " refused the "
                + "connection (" + state(e) + said + ")", e);
    }

    /** A failure while preparing or running {@code query}, or reading its rows. */
    SourceException querying(SQLException e, String query) {
        String where = login.redactedUrl();
        String said = secrets.mask(login.redact(e.getMessage()));
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTimeoutException || state.equals("57014") || state.equals("HY008")) {
            return new SourceException(SourceException.Kind.UNREACHABLE, "the query on " + where + " did not finish "
                    + "within queryTimeoutSeconds (" + queryTimeoutSeconds + " s): " + said + "; raise "
                    + "source.sql.queryTimeoutSeconds or make the query cheaper. Query: " + query, e);
        }
        if (isUnreachable(e)) {
            return new SourceException(SourceException.Kind.UNREACHABLE, "lost the connection to the database at "
                    + where + " (" + state(e) + said + ")", e);
        }
        if (isCredentials(e)) {
            return new SourceException(SourceException.Kind.CREDENTIALS, "the database at " + where + " refused the "
                    + "user (" + state(e) + said + "); " + login.credentialsHint(), e);
        }
        if (state.equals("25006") || state.equals("25001")) { // read-only transaction; its mode cannot change
            return new SourceException(SourceException.Kind.REJECTED, "the query tried to write or to leave its "
                    + "read-only transaction (" + said + "), but a source only reads: make it a plain SELECT. Query: "
                    + query, e);
        }
        if (state.startsWith("42") || state.equals("0A000")) {
            // A syntax error or a refused feature may come from the subquery the query runs in: say so.
            boolean inSubquery = login.isPostgres() && (state.equals("42601") || state.equals("0A000"));
            return new SourceException(SourceException.Kind.REJECTED, "the database at " + where + " rejected the "
                    + "query: " + said + " (SQLState " + state + "); fix source.sql.query" + (inSubquery ? " (it runs "
                    + "as one query expression, SELECT * FROM (query) tributary_source, so it must be a single "
                    + "SELECT that writes nothing)" : "") + ". Query: " + query, e);
        }
        return new SourceException(SourceException.Kind.REJECTED, "the query failed on " + where + ": " + said
                + (state.isEmpty() ? "" : " (SQLState " + state + ")") + ". Query: " + query, e);
    }

    private static boolean isCredentials(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.equals("28000") || state.equals("28P01") || e.getErrorCode() == SQL_SERVER_LOGIN_FAILED;
    }

    private static boolean isUnreachable(SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof SocketTimeoutException || cause instanceof NoRouteToHostException
                    || cause instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ";
    }
}
