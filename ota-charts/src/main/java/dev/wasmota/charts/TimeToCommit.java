package dev.wasmota.charts;

import java.util.List;

/**
 * Time to commit: a histogram of commit times in about ten to fifteen bins of a round width. The
 * simulator's report and the OEM's console draw the same chart.
 */
public final class TimeToCommit {
    /** The bars' colour, distinct from every wave's so a screenshot tells them apart. */
    public static final String FILL = "#4e79a7";
    private static final int WIDTH = 620;
    private static final int TARGET_BINS = 15;
    private static final double LEFT = 64;
    private static final double TOP = 16;
    private static final double PLOT_W = 536;
    private static final double PLOT_H = 220;

    private TimeToCommit() {}

    /**
     * The histogram of {@code millis} as SVG, inline in HTML or, with {@code standalone}, a document
     * of its own; {@code xTitle} says from when the times count.
     */
    public static String render(String id, String label, List<Long> millis, String xTitle, boolean standalone) {
        List<Long> sorted = millis.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return open(id, 0, 48, label, standalone).text(WIDTH / 2.0, 28, "no commits", "middle", "empty").close();
        }
        Bins bins = Bins.of(sorted, TARGET_BINS);
        Axes axes = new Axes(LEFT, TOP, PLOT_W, PLOT_H, bins.start(),
                new Ticks(Ticks.niceCeil((bins.end() - bins.start()) / 8), bins.end()),
                Ticks.of(bins.maxCount(), 5, true));
        Svg svg = open(id, bins.nonEmpty(), (int) (TOP + PLOT_H + 48), label, standalone);
        axes.draw(svg, Markup::num, xTitle, "vehicles");
        for (int i = 0; i < bins.counts().length; i++) {
            int n = bins.counts()[i];
            if (n > 0) {
                double x0 = axes.px(bins.lower(i));
                double x1 = axes.px(bins.lower(i + 1));
                svg.rect(x0 + 1, axes.py(n), Math.max(1, x1 - x0 - 2), axes.py(0) - axes.py(n), FILL, "bar",
                        " data-count=\"" + n + "\"",
                        Markup.num(bins.lower(i)) + "\u2013" + Markup.num(bins.lower(i + 1)) + " s: " + n + " vehicles");
            }
        }
        return svg.close();
    }

    private static Svg open(String id, int bars, int height, String label, boolean standalone) {
        return standalone ? Svg.standalone(id, "data-bars", bars, WIDTH, height, label)
                : Svg.open(id, "data-bars", bars, WIDTH, height, label);
    }

    /**
     * Equal-width bins in seconds, the first starting at a multiple of the width at or below the
     * smallest value, the last holding the largest value.
     */
    public record Bins(double start, double width, int[] counts) {
        /** About {@code target} bins over {@code sortedMillis} (ascending, not empty). */
        public static Bins of(List<Long> sortedMillis, int target) {
            double min = sortedMillis.get(0) / 1000.0;
            double max = sortedMillis.get(sortedMillis.size() - 1) / 1000.0;
            double span = max > min ? max - min : 1;
            double width = Ticks.niceCeil(span / target);
            double start = Math.floor(min / width) * width;
            int[] counts = new int[(int) Math.floor((max - start) / width + 1e-9) + 1];
            for (long m : sortedMillis) {
                int i = (int) Math.floor((m / 1000.0 - start) / width + 1e-9);
                counts[Math.max(0, Math.min(counts.length - 1, i))]++;
            }
            return new Bins(start, width, counts);
        }

        double lower(int i) {
            return start + i * width;
        }

        double end() {
            return lower(counts.length);
        }

        int maxCount() {
            int max = 0;
            for (int n : counts) {
                max = Math.max(max, n);
            }
            return max;
        }

        int nonEmpty() {
            int k = 0;
            for (int n : counts) {
                k += n > 0 ? 1 : 0;
            }
            return k;
        }
    }
}
