package io.tributary.bench;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A generated input file.
 *
 * @param file  where it is
 * @param rows  its data rows (the header not counted)
 * @param bytes its size
 * @param dirty the dirty rows among them, by kind
 */
public record Generated(Path file, long rows, long bytes, Map<Dirt, Long> dirty) {

    public Generated {
        dirty = Map.copyOf(new EnumMap<>(dirty));
    }

    public long dirtyRows() {
        return dirty.values().stream().mapToLong(Long::longValue).sum();
    }

    public double dirtyShare() {
        return rows == 0 ? 0 : (double) dirtyRows() / rows;
    }
}
