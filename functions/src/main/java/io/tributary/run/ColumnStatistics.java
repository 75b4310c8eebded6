package io.tributary.run;

/**
 * What a dataset's column holds, for the manifest.
 *
 * @param rows     rows counted
 * @param nulls    rows without a value
 * @param min      the smallest value, as text, or null when there is none
 * @param max      the largest value, as text, or null when there is none
 * @param mean     the mean, for numbers; else null
 * @param distinct an estimate of the number of distinct values (HyperLogLog), never more than the values counted
 */
public record ColumnStatistics(String name, String type, long rows, long nulls, String min, String max, Double mean,
                               long distinct) {

    public ColumnStatistics {
        // The estimate may overshoot a little; a column cannot hold more distinct values than values.
        distinct = Math.min(distinct, Math.max(0, rows - nulls));
    }

    /**
     * The statistics of one column over two sets of rows; {@code distinct} becomes the larger estimate (a lower
     * bound: the sets may share values).
     */
    public ColumnStatistics merge(ColumnStatistics other) {
        return merge(other, false);
    }

    /**
     * The statistics of one column over two sets of rows that share none of its values (such as the key buckets of
     * a run routed by this one column): the distinct estimates add up.
     */
    public ColumnStatistics mergeDisjoint(ColumnStatistics other) {
        return merge(other, true);
    }

    private ColumnStatistics merge(ColumnStatistics other, boolean disjoint) {
        long values = (rows - nulls) + (other.rows - other.nulls);
        Double merged = mean == null || other.mean == null ? (mean == null ? other.mean : mean)
                : values == 0 ? null : (mean * (rows - nulls) + other.mean * (other.rows - other.nulls)) / values;
        return new ColumnStatistics(name, type, rows + other.rows, nulls + other.nulls, min(min, other.min),
                max(max, other.max), merged, disjoint ? distinct + other.distinct : Math.max(distinct, other.distinct));
    }

    private String min(String a, String b) {
        return a == null ? b : b == null ? a : compare(a, b) <= 0 ? a : b;
    }

    private String max(String a, String b) {
        return a == null ? b : b == null ? a : compare(a, b) >= 0 ? a : b;
    }

    /** Numbers compare as numbers; everything else as text (ISO dates and times sort as text). */
    private int compare(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
