package io.tributary.fetch;

import io.tributary.definition.source.FetchedSource;
import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.RestSource;
import io.tributary.definition.source.SqlSource;
import java.util.Optional;

/** Makes the fetcher for a fetched source's definition. */
public final class Fetchers {

    private Fetchers() {
    }

    /** The fetcher that reads {@code source}, with {@code incremental}'s cursor when the load is incremental. */
    public static Fetcher of(FetchedSource source, Optional<Incremental> incremental) {
        if (source instanceof RestSource rest) {
            return new RestFetcher(rest, incremental);
        }
        if (source instanceof SqlSource sql) {
            return new SqlFetcher(sql, incremental);
        }
        throw new IllegalArgumentException("no fetcher reads a '" + source.kind() + "' source");
    }
}
