package io.tributary.fetch;

import java.util.List;
import java.util.Optional;

/**
 * What a fetch wrote.
 *
 * @param records       records written, one JSON object per line
 * @param bytes         bytes written
 * @param highWatermark the largest value of the incremental cursor among the records written, if there is a cursor
 *                      and any record
 * @param requests      what was asked of the source, for lineage: each HTTP request (method and URL) or the query
 *                      with its bound parameters; never a secret (settings referenced by headers or credentials)
 */
public record FetchResult(long records, long bytes, Optional<String> highWatermark, List<String> requests) {

    public FetchResult {
        requests = List.copyOf(requests);
    }
}
