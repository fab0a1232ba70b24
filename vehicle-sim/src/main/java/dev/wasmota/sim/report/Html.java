package dev.wasmota.sim.report;

import dev.wasmota.charts.Markup;

import java.time.Duration;
import java.util.Locale;

/** Escaping and number formatting shared by the report's parts, so no model string reaches the page raw. */
final class Html {
    private Html() {}

    /** Escapes text for an HTML element body or a quoted attribute value; {@code null} becomes empty. */
    static String esc(String s) {
        return Markup.esc(s);
    }

    /** A coordinate or value with at most two decimals and no trailing zeros; never NaN or infinite. */
    static String num(double v) {
        return Markup.num(v);
    }

    /** Milliseconds as seconds for people, e.g. {@code 12.3 s}. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** A duration for people, e.g. {@code 2 min 3.4 s}; {@code null} becomes a dash. */
    static String duration(Duration d) {
        if (d == null) {
            return "\u2014";
        }
        long millis = d.toMillis();
        long minutes = millis / 60_000;
        String secs = String.format(Locale.ROOT, "%.1f s", (millis % 60_000) / 1000.0);
        return minutes > 0 ? minutes + " min " + secs : secs;
    }
}
