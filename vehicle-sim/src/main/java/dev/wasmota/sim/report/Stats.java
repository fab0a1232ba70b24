package dev.wasmota.sim.report;

import java.util.List;
import java.util.OptionalLong;

/** Order statistics over ascending-sortable samples of milliseconds; empty samples have none. */
final class Stats {
    private Stats() {}

    /** The nearest-rank percentile {@code p} (0 < p ≤ 100) of {@code sorted}, which must be ascending. */
    static OptionalLong percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return OptionalLong.empty();
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return OptionalLong.of(sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1)));
    }

    static OptionalLong median(List<Long> sorted) {
        return percentile(sorted, 50);
    }

    /** The statistic as seconds, or a dash when there is none. */
    static String seconds(OptionalLong millis) {
        return millis.isPresent() ? Html.seconds(millis.getAsLong()) : "\u2014";
    }
}
