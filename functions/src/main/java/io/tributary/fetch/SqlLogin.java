package io.tributary.fetch;

import io.tributary.definition.source.SqlSource;
import io.tributary.definition.sql.SqlDialect;
import io.tributary.settings.SettingReference;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a {@code source.sql} logs in, with its {@code %SETTING%} references resolved: opens the connection, and says
 * where it went (the URL without secrets) and which settings hold the credentials, without ever showing a secret.
 */
final class SqlLogin {

    /** {@code //user:password@} in a URL. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/@;?]*@");
    /** A URL property that holds a secret: {@code password=…}, {@code pwd=…}, {@code …secret=…}, {@code …token=…}. */
    private static final Pattern SECRET_PROPERTY =
            Pattern.compile("(?i)((?:password|pwd|[a-z]*secret|[a-z]*token)=)[^;&]*");

    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final String authentication;
    private final List<String> credentialSettings;

    private SqlLogin(String url, Optional<String> user, Optional<String> password, String authentication,
                     List<String> credentialSettings) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.authentication = authentication;
        this.credentialSettings = credentialSettings;
    }

    /**
     * Resolves the source's URL, user and password through {@code settings}.
     *
     * @throws SourceException CONFIGURATION, naming a setting that is not set
     */
    static SqlLogin resolve(SqlSource source, Function<String, Optional<String>> settings) {
        List<String> credentialSettings = new ArrayList<>();
        source.user().ifPresent(u -> credentialSettings.addAll(SettingReference.names(u)));
        source.password().ifPresent(p -> credentialSettings.addAll(SettingReference.names(p)));
        return new SqlLogin(resolve(source.url(), "url", settings),
                source.user().map(u -> resolve(u, "user", settings)),
                source.password().map(p -> resolve(p, "password", settings)), source.authentication(),
                List.copyOf(credentialSettings));
    }

    /** Opens a connection, with the driver the URL names. */
    Connection connect() throws SQLException {
        Driver driver = driver();
        Connection connection = driver.connect(url, properties());
        if (connection == null) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the JDBC URL " + redactedUrl()
                    + " is not one the " + driver.getClass().getName() + " driver accepts; check source.sql.url");
        }
        return connection;
    }

    /** The driver's connection properties: the login, the application's name and, on PostgreSQL, reading only. */
    Properties properties() {
        Properties properties = new Properties();
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        if (isPostgres()) {
            properties.setProperty("ApplicationName", "tributary");
            // Read-only for the session's whole life, and one statement per Parse message (ReadOnlySession checks
            // both, as a URL's own options would override these).
            properties.setProperty("options", "-c default_transaction_read_only=on");
            properties.setProperty("preferQueryMode", "extended");
        } else {
            properties.setProperty("applicationName", "tributary");
            switch (authentication) {
                case "managedIdentity" -> properties.setProperty("authentication", "ActiveDirectoryManagedIdentity");
                case "default" -> properties.setProperty("authentication", "ActiveDirectoryDefault");
                default -> { }
            }
        }
        return properties;
    }

    /** Whether the source is PostgreSQL (else it is Azure SQL / SQL Server). */
    boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The database's dialect; a URL that is neither PostgreSQL's nor SQL Server's fails on {@link #connect()}. */
    SqlDialect dialect() {
        return isPostgres() ? SqlDialect.POSTGRES : SqlDialect.SQL_SERVER;
    }

    /** The URL without user information or secret properties, for messages and lineage. */
    String redactedUrl() {
        return redactUrl(url);
    }

    /** {@code url} without user information ({@code //user:password@}) or secret properties ({@code password=…}). */
    static String redactUrl(String url) {
        String withoutUser = USER_INFO.matcher(url).replaceAll("//");
        return SECRET_PROPERTY.matcher(withoutUser).replaceAll("$1***");
    }

    /** {@code message} with the password, and the URL's secrets, blanked out. */
    String redact(String message) {
        String text = message == null ? "" : message.replace(url, redactedUrl());
        if (password.isPresent() && !password.get().isEmpty()) {
            text = text.replace(password.get(), "***");
        }
        return text;
    }

    /** How to fix a refused login: the settings (or fields) that hold the credentials. */
    String credentialsHint() {
        if (!authentication.equals("password")) {
            return "check that the app's Azure identity (authentication '" + authentication + "') is a user of the "
                    + "database";
        }
        if (!credentialSettings.isEmpty()) {
            return "check the app settings " + String.join(" and ", credentialSettings)
                    + " (local.settings.json Values, or the app's settings in Azure)";
        }
        return "check source.sql.user and source.sql.password" + user.map(u -> " (user '" + u + "')").orElse("");
    }

    private Driver driver() {
        String name = isPostgres() ? "org.postgresql.Driver" : url.startsWith("jdbc:sqlserver:")
                ? "com.microsoft.sqlserver.jdbc.SQLServerDriver" : null;
        if (name == null) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "'" + redactedUrl() + "' is not a JDBC URL "
                    + "Tributary can open: use jdbc:postgresql://host:5432/database or jdbc:sqlserver://host:1433;"
                    + "databaseName=… in source.sql.url (or the setting it names)");
        }
        try {
            return (Driver) Class.forName(name, true, SqlLogin.class.getClassLoader()).getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "the JDBC driver " + name + " is not on the "
                    + "class path; the build ships it with the app, so rebuild (mvn package)", e);
        }
    }

    private static String resolve(String text, String field, Function<String, Optional<String>> settings) {
        Matcher m = SettingReference.PATTERN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = settings.apply(name).orElseThrow(() -> new SourceException(
                    SourceException.Kind.CONFIGURATION, "the app setting " + name + " (source.sql." + field
                    + ") is not set; set it in local.settings.json Values or the app's settings"));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
