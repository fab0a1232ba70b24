package dev.wasmota.sim.report;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Chart 1, vehicles committed over time: one cumulative step line per wave of a campaign (x =
 * seconds since the campaign started, y = vehicles committed so far), with a legend.
 */
final class LineChart {
    private static final int WIDTH = 760;
    private static final int LEGEND_PER_ROW = 4;
    private static final double LEFT = 64;
    private static final double TOP = 16;
    private static final double PLOT_W = 670;
    private static final double PLOT_H = 220;

    private LineChart() {}

    /** The svg id of a campaign's chart. */
    static String id(CampaignRun c) {
        return "committed-over-time-" + c.campaignId();
    }

    static String render(CampaignRun c) {
        List<WaveRun> drawn = c.waves().stream().filter(w -> !w.commitMillis().isEmpty()).toList();
        String label = "Vehicles committed over time, per wave, campaign " + c.campaignId();
        if (drawn.isEmpty()) {
            return Svg.open(id(c), "data-series", 0, WIDTH, 48, label)
                    .text(WIDTH / 2.0, 28, "no commits", "middle", "empty").close();
        }
        long lastMillis = drawn.stream().mapToLong(w -> sorted(w).get(w.commitMillis().size() - 1)).max().orElse(0);
        int mostCommits = drawn.stream().mapToInt(w -> w.commitMillis().size()).max().orElse(0);
        Axes axes = new Axes(LEFT, TOP, PLOT_W, PLOT_H, 0, Ticks.of(lastMillis / 1000.0, 8, false),
                Ticks.of(mostCommits, 5, true));
        int legendRows = (c.waves().size() + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW;
        Svg svg = Svg.open(id(c), "data-series", drawn.size(), WIDTH, (int) (TOP + PLOT_H + 56 + 22 * legendRows),
                label);
        axes.draw(svg, Html::num, "seconds since campaign start", "vehicles committed");
        for (WaveRun w : drawn) {
            svg.polyline(steps(axes, sorted(w)), Svg.colour(w.index() - 1), "series",
                    "wave " + w.index() + ": " + w.commitMillis().size() + " committed");
        }
        legend(svg, c.waves(), TOP + PLOT_H + 56);
        return svg.close();
    }

    private static List<Long> sorted(WaveRun w) {
        return w.commitMillis().stream().sorted().toList();
    }

    /** The cumulative step line: flat at zero, one step up at each commit, flat to the axis end. */
    private static List<double[]> steps(Axes axes, List<Long> millis) {
        List<double[]> points = new ArrayList<>(2 * millis.size() + 2);
        points.add(new double[] {axes.px(0), axes.py(0)});
        for (int i = 0; i < millis.size(); i++) {
            double x = axes.px(millis.get(i) / 1000.0);
            points.add(new double[] {x, axes.py(i)});
            points.add(new double[] {x, axes.py(i + 1)});
        }
        points.add(new double[] {axes.px(axes.x().top()), axes.py(millis.size())});
        return points;
    }

    private static void legend(Svg svg, List<WaveRun> waves, double top) {
        double itemWidth = PLOT_W / LEGEND_PER_ROW;
        for (int i = 0; i < waves.size(); i++) {
            WaveRun w = waves.get(i);
            double x = LEFT + (i % LEGEND_PER_ROW) * itemWidth;
            double y = top + (i / LEGEND_PER_ROW) * 22;
            boolean none = w.commitMillis().isEmpty();
            String colour = Svg.colour(w.index() - 1);
            svg.rect(x + 1, y + 1, 12, 12, none ? "#ffffff" : colour, "swatch",
                    none ? " stroke=\"" + colour + "\" stroke-width=\"2\"" : "", null);
            String what = none ? "no commits" : w.commitMillis().size() + " committed";
            svg.text(x + 20, y + 12, "wave " + w.index() + " (" + what + ")", "start", "legend");
        }
    }
}
