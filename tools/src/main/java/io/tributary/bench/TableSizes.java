package io.tributary.bench;

/**
 * How big the bench's tables are.
 *
 * @param versions the versions of the append table (f) reads and appends to
 * @param rows     the rows of the table (g) merges 1 % of into
 */
public record TableSizes(int versions, long rows) {

    /** The default: a little under three minutes on two cores. */
    public static final TableSizes DEFAULT = new TableSizes(1_000, 10_000_000);
    /** Enough for a checkpoint to read from (one every 10 versions) and the commits after it. */
    public static final int MIN_VERSIONS = 20;
    /** Enough for 1 % to be 100 keys. */
    public static final long MIN_ROWS = 10_000;

    public TableSizes {
        if (versions < MIN_VERSIONS) {
            throw new IllegalArgumentException("--table-versions takes at least " + MIN_VERSIONS + " versions (a "
                    + "checkpoint is written every 10); got " + versions);
        }
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("--table-rows takes at least " + MIN_ROWS + " rows; got " + rows);
        }
    }
}
