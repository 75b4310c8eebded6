package io.tributary.fetch;

import java.util.Optional;

/** Pages by position: {@code offset=0&limit=N}, {@code offset=N&limit=N}, …; a page of fewer than N records is the last. */
final class OffsetPager implements Pager {

    private final String offsetParam;
    private final String limitParam;
    private final int limit;
    private long offset;

    OffsetPager(String offsetParam, String limitParam, int limit) {
        this.offsetParam = offsetParam;
        this.limitParam = limitParam;
        this.limit = limit;
    }

    @Override
    public RestRequest first(RestRequest request) {
        offset = 0;
        return request.withQuery(offsetParam, "0").withQuery(limitParam, String.valueOf(limit));
    }

    @Override
    public Optional<RestRequest> next(Page page, int records) {
        if (records < limit) {
            return Optional.empty();
        }
        offset += records;
        return Optional.of(page.request().withQuery(offsetParam, String.valueOf(offset)));
    }
}
