package io.tributary.run;

/**
 * How one expectation fared on a chunk.
 *
 * @param failed   rows that failed it (for {@code rowCount}: 1 when the count is out of bounds, else 0)
 * @param observed for {@code rowCount}, the rows counted; else null
 */
public record ExpectationResult(String name, String expect, String onFailure, long failed, Long observed) {
}
