package io.tributary.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.fetch.SourceException.Kind;
import java.util.Optional;

/** Each body carries an opaque cursor, sent back as a query parameter for the next page; absent, null or "" on the last. */
final class CursorPager implements Pager {

    private final String cursorPath;
    private final String cursorParam;

    CursorPager(String cursorPath, String cursorParam) {
        this.cursorPath = cursorPath;
        this.cursorParam = cursorParam;
    }

    @Override
    public Optional<RestRequest> next(Page page, int records) {
        JsonNode cursor = page.body().at(cursorPath);
        if (cursor.isMissingNode() || cursor.isNull() || (cursor.isTextual() && cursor.asText().isEmpty())) {
            return Optional.empty();
        }
        if (!cursor.isValueNode()) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "the cursor at " + cursorPath + " of " + page.where()
                    + " is " + (cursor.isObject() ? "an object" : "an array") + ", not a string or number");
        }
        return Optional.of(page.request().withQuery(cursorParam, cursor.asText()));
    }

}
