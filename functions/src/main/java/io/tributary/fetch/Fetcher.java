package io.tributary.fetch;

import java.io.OutputStream;

/**
 * Reads a source that is not a file (an HTTP API, a database) and writes its records as JSON Lines: one JSON object
 * per line, UTF-8. It streams: whatever the source's size, only a page or a fetch-size batch is held in memory.
 */
public interface Fetcher {

    /**
     * Writes every record of the source (those after {@code context.watermark()} when the load is incremental) to
     * {@code out}, which it does not close.
     *
     * @throws SourceException classified: what went wrong, where, and how to fix it
     */
    FetchResult fetch(FetchContext context, OutputStream out);
}
