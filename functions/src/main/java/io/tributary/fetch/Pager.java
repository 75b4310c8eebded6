package io.tributary.fetch;

import io.tributary.definition.source.RestSource;
import java.util.Optional;

/** Finds the page after each page, in one of the ways {@link RestSource.Pagination} describes. */
interface Pager {

    /** The first request, given the one the url expands to. */
    default RestRequest first(RestRequest request) {
        return request;
    }

    /**
     * The request for the page after {@code page}, or empty when it is the last.
     *
     * @param records how many records {@code page} had
     */
    Optional<RestRequest> next(Page page, int records);

    static Pager of(RestSource.Pagination pagination, Secrets secrets) {
        if (pagination instanceof RestSource.NextLink nextLink) {
            return new NextLinkPager(nextLink.path(), secrets);
        }
        if (pagination instanceof RestSource.LinkHeader) {
            return new LinkHeaderPager(secrets);
        }
        if (pagination instanceof RestSource.Offset offset) {
            return new OffsetPager(offset.offsetParam(), offset.limitParam(), offset.limit());
        }
        if (pagination instanceof RestSource.Cursor cursor) {
            return new CursorPager(cursor.cursorPath(), cursor.cursorParam());
        }
        return (page, records) -> Optional.empty();
    }
}
