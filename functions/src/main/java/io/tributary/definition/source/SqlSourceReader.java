package io.tributary.definition.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.sql.SqlDialect;
import io.tributary.definition.sql.SqlQueryText;
import io.tributary.settings.SettingReference;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code "source": {"sql": {…}}}: where the database is, how to log in, and a read-only query. Secrets stay in
 * app settings: a password is a {@code %SETTING%} reference, and a URL may not carry one.
 */
final class SqlSourceReader {

    private static final String AT = "/source/sql";
    private static final Set<String> FIELDS =
            Set.of("url", "user", "password", "authentication", "query", "fetchSize", "queryTimeoutSeconds");
    /** A whole value that is one setting reference, {@code %NAME%}. */
    /** The JDBC URL prefixes of the drivers Tributary ships. */
    private static final List<String> DRIVERS = List.of("jdbc:postgresql:", "jdbc:sqlserver:");
    private static final int MAX_FETCH_SIZE = 100_000;

    private final Fields fields;

    SqlSourceReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The source. When {@code node} has problems (each reported, so the definition fails) it is a stand-in with
     * what could be read, which keeps the source counted as fetched rather than as a file missing its format.
     */
    SqlSource read(JsonNode node) {
        if (!fields.object(node, AT, FIELDS)) {
            return new SqlSource("", Optional.empty(), Optional.empty(), "password", "", SqlSource.DEFAULT_FETCH_SIZE,
                    SqlSource.DEFAULT_QUERY_TIMEOUT_SECONDS);
        }
        String url = url(node);
        String user = fields.string(node, AT, "user", false);
        String password = password(node);
        String authentication = authentication(node, url, password);
        String query = query(node, url);
        int fetchSize = positive(node, "fetchSize", SqlSource.DEFAULT_FETCH_SIZE, MAX_FETCH_SIZE);
        int timeout = positive(node, "queryTimeoutSeconds", SqlSource.DEFAULT_QUERY_TIMEOUT_SECONDS, Integer.MAX_VALUE);
        return new SqlSource(url == null ? "" : url, Optional.ofNullable(user), Optional.ofNullable(password),
                authentication, query == null ? "" : query, fetchSize, timeout);
    }

    private String url(JsonNode node) {
        String url = fields.string(node, AT, "url", true);
        if (url == null) {
            return null;
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            fields.problem(AT + "/url", "the URL holds a password, which would then be kept in the definition, its "
                    + "runs and logs: remove it from the URL, put it in an app setting and write \"password\": "
                    + "\"%DB_PASSWORD%\"");
        } else if (!SettingReference.PATTERN.matcher(url).matches() && DRIVERS.stream().noneMatch(url::startsWith)) {
            fields.problem(AT + "/url", "'" + url + "' is not a JDBC URL Tributary can open: write "
                    + "jdbc:postgresql://host:5432/database or jdbc:sqlserver://host:1433;databaseName=…, or a "
                    + "setting that holds one, such as \"%ORDERS_DB_URL%\"");
        }
        return url;
    }

    private String password(JsonNode node) {
        String password = fields.string(node, AT, "password", false);
        if (password != null && !SettingReference.PATTERN.matcher(password).matches()) {
            fields.problem(AT + "/password", "a password is a secret and belongs in an app setting: write a reference "
                    + "such as \"%ORDERS_DB_PASSWORD%\" and set ORDERS_DB_PASSWORD in local.settings.json Values or the "
                    + "app's settings");
        }
        return password;
    }

    private String authentication(JsonNode node, String url, String password) {
        String authentication = fields.string(node, AT, "authentication", false);
        if (authentication == null) {
            return "password";
        }
        if (!SqlSource.AUTHENTICATIONS.contains(authentication)) {
            fields.problem(AT + "/authentication", "unknown authentication '" + authentication + "'"
                    + Suggestions.didYouMean(authentication, SqlSource.AUTHENTICATIONS) + "; allowed: password (user "
                    + "and password), managedIdentity (Azure SQL: the app's managed identity), default (Azure SQL: "
                    + "the Azure identity the app finds, e.g. az login locally)");
            return "password";
        }
        if (!authentication.equals("password")) {
            if (url != null && url.startsWith("jdbc:postgresql:")) {
                fields.problem(AT + "/authentication", "'" + authentication + "' signs in to Azure SQL / SQL Server; "
                        + "a PostgreSQL source logs in with \"user\" and \"password\"");
            } else if (password != null) {
                fields.problemAtKey(AT + "/password", "'" + authentication + "' signs in without a password; remove "
                        + "it (for a user-assigned identity, \"user\" is its client ID)");
            }
        }
        return authentication;
    }

    private String query(JsonNode node, String url) {
        String query = fields.string(node, AT, "query", true);
        if (query == null) {
            return null;
        }
        // A URL held in a setting does not say which database it is: the query must be one SELECT as either reads it.
        List<SqlDialect> dialects = url == null ? List.of(SqlDialect.values())
                : SqlDialect.of(url).map(List::of).orElse(List.of(SqlDialect.values()));
        for (SqlDialect dialect : dialects) {
            Optional<String> problem = problem(SqlQueryText.parse(query, dialect), dialect);
            if (problem.isPresent()) {
                fields.problem(AT + "/query", problem.get());
                break;
            }
        }
        return query;
    }

    /** Why {@code text} is not one read-only SELECT, as {@code dialect} reads it. */
    private static Optional<String> problem(SqlQueryText text, SqlDialect dialect) {
        String first = text.firstWord().orElse("");
        if (!first.equals("SELECT") && !first.equals("WITH")) {
            return Optional.of(first.isEmpty() ? "the query is empty; write a SELECT, e.g. \"SELECT * FROM orders "
                    + "WHERE created_at < :windowEnd\"" : "the query starts with " + first + ", but a source only "
                    + "reads: write a SELECT (or WITH … SELECT) query");
        }
        if (text.multipleStatements()) {
            return Optional.of("the query holds more than one statement: another starts after a ';' at "
                    + text.secondStatementPosition().orElseThrow() + " of the query (as " + dialect.displayName()
                    + " reads it); a source runs one SELECT, so remove the ';' and what follows it");
        }
        if (!text.writingWords().isEmpty()) {
            return Optional.of("the query uses " + String.join(", ", text.writingWords()) + " (at "
                    + text.firstWritingWordPosition().orElseThrow() + " of the query, as " + dialect.displayName()
                    + " reads it), but a source runs one read-only SELECT; if it is a column or table name, quote it "
                    + "(\"" + text.writingWords().get(0).toLowerCase(Locale.ROOT) + "\")");
        }
        if (text.positionalMarkers() > 0) {
            return Optional.of("the query has a bare '?'; name each parameter instead, as :windowEnd or :region (for "
                    + "PostgreSQL's jsonb ? operator, write ??)");
        }
        return Optional.empty();
    }

    private int positive(JsonNode node, String field, int fallback, int max) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > max) {
            fields.problem(AT + "/" + field, "expected a whole number from 1 to " + max + ", found "
                    + Fields.describe(value));
            return fallback;
        }
        return value.asInt();
    }
}
