package io.tributary.definition.source;

import java.util.Optional;

/**
 * A database read over JDBC ({@code "source": {"sql": {…}}}): one read-only query, streamed in batches of
 * {@code fetchSize} rows. Text fields may hold {@code %NAME%} references to app settings, resolved at each fetch.
 *
 * @param url                 the JDBC URL, e.g. {@code jdbc:postgresql://host:5432/db} or {@code jdbc:sqlserver://…},
 *                            or a {@code %SETTING%} that holds it
 * @param user                the user name (or a {@code %SETTING%}), if the URL or the authentication does not give it
 * @param password            the password, always a {@code %SETTING%} reference in a valid definition
 * @param authentication      {@code password} (the default: user and password), or for Azure SQL
 *                            {@code managedIdentity} or {@code default} (the identity the app runs as)
 * @param query               a SELECT or WITH query; {@code :name} stands for the run parameter {@code name}
 * @param fetchSize           rows the driver fetches per round trip, and so at most holds in memory
 * @param queryTimeoutSeconds how long the query may run before the fetch fails as unreachable
 */
public record SqlSource(String url, Optional<String> user, Optional<String> password, String authentication,
                        String query, int fetchSize, int queryTimeoutSeconds) implements FetchedSource {

    /** The values {@code authentication} takes. */
    public static final java.util.List<String> AUTHENTICATIONS = java.util.List.of("password", "managedIdentity",
            "default");
    public static final int DEFAULT_FETCH_SIZE = 1000;
    public static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 600;

    @Override
    public String kind() {
        return "sql";
    }
}
