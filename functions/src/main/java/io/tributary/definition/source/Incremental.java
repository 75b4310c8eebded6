package io.tributary.definition.source;

import java.util.Optional;

/**
 * An incremental load: each run reads only the records whose {@code cursor} (a timestamp or an increasing id)
 * is greater than the high-water mark of the last committed run; the first run, and one started with
 * {@code --full-refresh}, reads everything (from {@code initial}, when given).
 *
 * @param cursor  the field (REST) or column (SQL) whose largest value a committed run records
 * @param initial the lower bound of the first run, exclusive; empty to read everything
 */
public record Incremental(String cursor, Optional<String> initial) {
}
