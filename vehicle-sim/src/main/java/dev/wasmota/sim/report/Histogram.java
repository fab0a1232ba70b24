package dev.wasmota.sim.report;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import java.util.List;

/**
 * Chart 2, time to commit: a histogram of every commit time of a campaign across its waves, in
 * about ten to fifteen bins of a round width, with the median, 90th percentile and maximum.
 */
final class Histogram {
    private static final int WIDTH = 620;
    private static final int TARGET_BINS = 15;
    private static final double LEFT = 64;
    private static final double TOP = 16;
    private static final double PLOT_W = 536;
    private static final double PLOT_H = 220;
    /** The bars' colour, distinct from every wave's so a screenshot tells them apart. */
    static final String FILL = "#4e79a7";

    private Histogram() {}

    /** The svg id of a campaign's histogram. */
    static String id(CampaignRun c) {
        return "time-to-commit-" + c.campaignId();
    }

    /** Every commit time of the campaign, ascending. */
    static List<Long> commitTimes(CampaignRun c) {
        return c.waves().stream().flatMap(w -> w.commitMillis().stream()).sorted().toList();
    }

    static String render(CampaignRun c) {
        List<Long> millis = commitTimes(c);
        String label = "Time to commit, campaign " + c.campaignId();
        if (millis.isEmpty()) {
            return Svg.open(id(c), "data-bars", 0, WIDTH, 48, label)
                    .text(WIDTH / 2.0, 28, "no commits", "middle", "empty").close();
        }
        Bins bins = Bins.of(millis, TARGET_BINS);
        Axes axes = new Axes(LEFT, TOP, PLOT_W, PLOT_H, bins.start(),
                new Ticks(Ticks.niceCeil((bins.end() - bins.start()) / 8), bins.end()),
                Ticks.of(bins.maxCount(), 5, true));
        Svg svg = Svg.open(id(c), "data-bars", bins.nonEmpty(), WIDTH, (int) (TOP + PLOT_H + 48), label);
        axes.draw(svg, Html::num, "seconds from campaign start to commit", "vehicles");
        for (int i = 0; i < bins.counts().length; i++) {
            int n = bins.counts()[i];
            if (n > 0) {
                double x0 = axes.px(bins.lower(i));
                double x1 = axes.px(bins.lower(i + 1));
                svg.rect(x0 + 1, axes.py(n), Math.max(1, x1 - x0 - 2), axes.py(0) - axes.py(n), FILL, "bar",
                        " data-count=\"" + n + "\"",
                        Html.num(bins.lower(i)) + "\u2013" + Html.num(bins.lower(i + 1)) + " s: " + n + " vehicles");
            }
        }
        return svg.close();
    }

    /** The summary printed beside the histogram. */
    static String summary(CampaignRun c) {
        List<Long> millis = commitTimes(c);
        return "<dl class=\"stats\">"
                + "<dt>commits</dt><dd>" + millis.size() + "</dd>"
                + "<dt>median</dt><dd>" + Stats.seconds(Percentiles.of(millis), 50) + "</dd>"
                + "<dt>p90</dt><dd>" + Stats.seconds(Percentiles.of(millis), 90) + "</dd>"
                + "<dt>max</dt><dd>" + Stats.seconds(Percentiles.of(millis), 100) + "</dd>"
                + "</dl>\n";
    }

    /**
     * Equal-width bins in seconds, the first starting at a multiple of the width at or below the
     * smallest value, the last holding the largest value.
     */
    record Bins(double start, double width, int[] counts) {
        static Bins of(List<Long> sortedMillis, int target) {
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
