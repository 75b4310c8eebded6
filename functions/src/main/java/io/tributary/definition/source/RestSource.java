package io.tributary.definition.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP API that a run fetches its records from ({@code "source": {"rest": {…}}}), such as a CRM's contacts.
 *
 * <p>{@code url} and the header values may name app settings as {@code %NAME%} and run parameters as
 * {@code {name}} ({@code {watermark}}, {@code {windowStart}}, …); they are expanded at each fetch.
 *
 * @param url              the first page's URL, e.g. {@code %CRM_API_URL%/contacts?updated_after={watermark}}
 * @param headers          request headers, in order; their values are never logged
 * @param records          JSON Pointer to the array of records in each page; {@code ""} when the body is the array
 * @param pagination       how the next page is found
 * @param timeoutSeconds   how long to wait for a connection and for each response's headers
 * @param maxAttempts      attempts per page, counting the first, on 429, 5xx, refused connections and timeouts
 * @param maxResponseBytes the largest page body accepted
 * @param maxPages         the most pages one fetch reads
 */
public record RestSource(String url, Map<String, String> headers, String records, Pagination pagination,
                         int timeoutSeconds, int maxAttempts, long maxResponseBytes, int maxPages)
        implements FetchedSource {

    /**
     * A reference in a URL or header: {@code %SETTING%} (group 1, an app setting) or {@code {param}} (group 2, a run
     * parameter).
     */
    public static final Pattern PLACEHOLDER =
            Pattern.compile("%([A-Za-z_][A-Za-z0-9_.:-]*)%|\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 50L * 1024 * 1024;
    public static final int DEFAULT_MAX_PAGES = 10_000;
    /** The values of {@code pagination.type}. */
    public static final List<String> PAGINATION_TYPES = List.of("nextLink", "linkHeader", "offset", "cursor");

    public RestSource {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(pagination, "pagination");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A source of one request and the defaults for everything else. */
    public static RestSource of(String url) {
        return new RestSource(url, Map.of(), "", new Single(), DEFAULT_TIMEOUT_SECONDS, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_PAGES);
    }

    @Override
    public String kind() {
        return "rest";
    }

    /** How the pages of a response follow each other. */
    public sealed interface Pagination permits Single, NextLink, LinkHeader, Offset, Cursor {
    }

    /** One request, no further pages ({@code pagination} absent). */
    public record Single() implements Pagination {
    }

    /** The next page's URL (absolute or relative) is in each body at {@code path}; absent, null or "" on the last. */
    public record NextLink(String path) implements Pagination {
    }

    /** The next page's URL is in the RFC 8288 {@code Link} header, {@code <…>; rel="next"}; absent on the last. */
    public record LinkHeader() implements Pagination {
    }

    /**
     * Pages are asked for by position: {@code offsetParam=0&limitParam=limit}, then {@code offset+limit}, …; a page
     * with fewer than {@code limit} records is the last.
     */
    public record Offset(String offsetParam, String limitParam, int limit) implements Pagination {
        public static final String DEFAULT_OFFSET_PARAM = "offset";
        public static final String DEFAULT_LIMIT_PARAM = "limit";
        public static final int DEFAULT_LIMIT = 100;
    }

    /**
     * Each body carries an opaque cursor at {@code cursorPath}, sent back as {@code cursorParam} to get the next page;
     * absent, null or "" on the last.
     */
    public record Cursor(String cursorPath, String cursorParam) implements Pagination {
        public static final String DEFAULT_CURSOR_PARAM = "cursor";
    }
}
