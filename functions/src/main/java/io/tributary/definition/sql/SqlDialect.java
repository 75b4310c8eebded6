package io.tributary.definition.sql;

import java.util.Optional;

/**
 * The database a {@code source.sql} queries, which decides how its query text is read: PostgreSQL has dollar quotes
 * ({@code $tag$…$tag$}) and {@code E'…'} strings with backslash escapes, and reads {@code [} as an array subscript;
 * SQL Server quotes names in {@code […]} and has neither.
 */
public enum SqlDialect {
    POSTGRES("PostgreSQL"),
    SQL_SERVER("SQL Server");

    private final String displayName;

    SqlDialect(String displayName) {
        this.displayName = displayName;
    }

    /** The dialect of a JDBC URL, empty when the URL is a {@code %SETTING%} or names another driver. */
    public static Optional<SqlDialect> of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRES);
        }
        if (url.startsWith("jdbc:sqlserver:")) {
            return Optional.of(SQL_SERVER);
        }
        return Optional.empty();
    }

    /** The database's name, for messages: {@code PostgreSQL}, {@code SQL Server}. */
    public String displayName() {
        return displayName;
    }
}
