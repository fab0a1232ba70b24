package dev.wasmota.cli.bench;

import java.util.Arrays;

/** Percentiles of a set of samples (nearest rank on the sorted samples). */
public record BenchStats(double[] sorted) {
    public static BenchStats of(double[] samples) {
        double[] copy = samples.clone();
        Arrays.sort(copy);
        return new BenchStats(copy);
    }

    public static BenchStats of(long[] samples) {
        return of(Arrays.stream(samples).asDoubleStream().toArray());
    }

    /** The {@code p}-th percentile, {@code p} in 0..100. */
    public double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double median() {
        return percentile(50);
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }
}
