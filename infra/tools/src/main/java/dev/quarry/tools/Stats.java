package dev.quarry.tools;

import java.util.Collection;

/** Summary statistics of latency samples. */
final class Stats {
    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest sample such that at least {@code p} percent of the
     * samples are less than or equal to it ({@code sorted[ceil(p/100 * n) - 1]}). It is always an
     * observed value, never an interpolation. NaN for no samples.
     */
    static double percentile(Collection<? extends Number> samples, double p) {
        if (p <= 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("p must be in (0, 100], was " + p);
        }
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** Arithmetic mean; NaN for no samples. */
    static double mean(Collection<? extends Number> samples) {
        return samples.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN);
    }

    static double max(Collection<? extends Number> samples) {
        return samples.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }
}
