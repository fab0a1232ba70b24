package dev.wasmota.contract.stats;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank percentiles of a sample set: the one way the product summarises call times,
 * commit times and benchmark figures, so a p99 means the same on the vehicle, at the OEM and in a
 * report. An empty set has no percentiles: {@link #isEmpty()} says so, and asking for one is an
 * {@link IllegalStateException}.
 */
public final class Percentiles {
    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /** The percentiles of {@code samples} (copied; may be empty). */
    public static Percentiles of(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return new Percentiles(s);
    }

    /** The percentiles of {@code samples} (may be empty). */
    public static Percentiles of(Collection<Long> samples) {
        return of(samples.stream().mapToLong(Long::longValue).toArray());
    }

    public boolean isEmpty() {
        return sorted.length == 0;
    }

    /** The smallest sample with at least {@code p} percent of the samples at or below it ({@code p <= 0}: the least). */
    public long percentile(double p) {
        requireSamples();
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
        requireSamples();
        return sorted[sorted.length - 1];
    }

    public long min() {
        requireSamples();
        return sorted[0];
    }

    public int count() {
        return sorted.length;
    }

    private void requireSamples() {
        if (sorted.length == 0) {
            throw new IllegalStateException("no samples, so no percentiles");
        }
    }
}
