package dev.wasmota.contract.stats;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample set, computed from the sorted samples. */
public final class Percentiles {
    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] s = samples.clone();
        Arrays.sort(s);
        return new Percentiles(s);
    }

    /** The smallest sample with at least {@code p} percent of samples at or below it. */
    public long percentile(double p) {
        if (p <= 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    public long median() {
        return percentile(50);
    }

    public long max() {
        return sorted[sorted.length - 1];
    }

    public long min() {
        return sorted[0];
    }

    public int count() {
        return sorted.length;
    }
}
