package io.tributary.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.fetch.SourceException.Kind;
import java.util.Optional;

/**
 * The incremental boundary on the client side: drops each record whose cursor is at or before the low watermark
 * (APIs with inclusive filters send the boundary record again) and keeps the largest cursor value written.
 */
final class WatermarkFilter {

    private final Optional<String> cursor;
    private final Optional<String> low;
    private String high;

    /**
     * @param cursor the cursor field, empty when the load is not incremental (every record is kept)
     * @param low    the exclusive lower bound, empty for a full load
     */
    WatermarkFilter(Optional<String> cursor, Optional<String> low) {
        this.cursor = cursor;
        this.low = low;
    }

    /** Whether to write {@code record}, the {@code index}-th (from 0) of {@code page}; notes its cursor if so. */
    boolean keep(JsonNode record, Page page, int index) {
        if (cursor.isEmpty()) {
            return true;
        }
        String field = cursor.get();
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "record " + index + " of " + page.where() + " has no '"
                    + field + "', the incremental cursor; every record needs it (or change incremental.cursor)");
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "record " + index + " of " + page.where() + " has "
                    + field + " = " + value + ", which is not a timestamp or a number; the incremental cursor needs one");
        }
        String text = value.isTextual() ? value.asText() : value.numberValue().toString();
        if (low.isPresent() && CursorValues.compare(text, low.get()) <= 0) {
            return false;
        }
        high = CursorValues.max(high, text);
        return true;
    }

    /** The largest cursor value among the records kept, if there is a cursor and any record. */
    Optional<String> high() {
        return Optional.ofNullable(high);
    }
}
