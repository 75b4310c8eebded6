package io.tributary.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a set of measurements, by the nearest rank. */
final class Percentiles {

    private final double[] sorted;

    Percentiles(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
        sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** The smallest value at least {@code p} percent of the values are at most (p in 0..100]. */
    double at(double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** How many measurements there are. */
    int count() {
        return sorted.length;
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(sorted);
    }
}
