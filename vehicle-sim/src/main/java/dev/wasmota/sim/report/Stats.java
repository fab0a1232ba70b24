package dev.wasmota.sim.report;

import dev.wasmota.contract.stats.Percentiles;

/** The report's order statistics of milliseconds, as seconds, or a dash when there were no samples. */
final class Stats {
    private Stats() {}

    /** Percentile {@code p} of {@code millis} in seconds, or a dash for no samples. */
    static String seconds(Percentiles millis, double p) {
        return millis.isEmpty() ? "\u2014" : Html.seconds(millis.percentile(p));
    }
}
