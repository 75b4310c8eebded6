package io.tributary.definition.source;

/**
 * A source that a run fetches at extract, rather than a file it is handed: an HTTP API ({@code source.rest}) or a
 * database ({@code source.sql}). Extract writes what it fetched as JSON Lines, once, and the run reads that.
 */
public interface FetchedSource {

    /** The definition's key for this kind of source: {@code rest} or {@code sql}. */
    String kind();
}
