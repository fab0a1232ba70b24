package dev.wasmota.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * Vehicles committed over time: one cumulative step line per wave of a campaign (x = seconds since
 * the campaign started, y = vehicles committed so far), with a legend. The simulator's report and
 * the OEM's console draw the same chart.
 */
public final class CommittedOverTime {
    private static final int WIDTH = 760;
    private static final int LEGEND_PER_ROW = 4;
    private static final double LEFT = 64;
    private static final double TOP = 16;
    private static final double PLOT_W = 670;
    private static final double PLOT_H = 220;

    /**
     * One wave: its index from 1, the points of its step line (milliseconds since the campaign
     * started, vehicles committed by then; ascending) and how many committed in all.
     */
    public record Wave(int index, List<long[]> points, int committed) {
        public Wave {
            points = List.copyOf(points);
        }

        /** A wave drawn from every commit's time: a step at each. */
        public static Wave of(int index, List<Long> commitMillis) {
            List<Long> sorted = commitMillis.stream().sorted().toList();
            List<long[]> points = new ArrayList<>(sorted.size());
            for (int i = 0; i < sorted.size(); i++) {
                points.add(new long[] {sorted.get(i), i + 1});
            }
            return new Wave(index, points, sorted.size());
        }

        long lastMillis() {
            return points.isEmpty() ? 0 : points.get(points.size() - 1)[0];
        }
    }

    private CommittedOverTime() {}

    /** The chart as SVG, inline in HTML or, with {@code standalone}, a document of its own. */
    public static String render(String id, String label, List<Wave> waves, boolean standalone) {
        List<Wave> drawn = waves.stream().filter(w -> w.committed() > 0 && !w.points().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return open(id, 0, 48, label, standalone).text(WIDTH / 2.0, 28, "no commits", "middle", "empty").close();
        }
        long lastMillis = drawn.stream().mapToLong(Wave::lastMillis).max().orElse(0);
        int mostCommits = drawn.stream().mapToInt(Wave::committed).max().orElse(0);
        Axes axes = new Axes(LEFT, TOP, PLOT_W, PLOT_H, 0, Ticks.of(lastMillis / 1000.0, 8, false),
                Ticks.of(mostCommits, 5, true));
        int legendRows = (waves.size() + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW;
        Svg svg = open(id, drawn.size(), (int) (TOP + PLOT_H + 56 + 22 * legendRows), label, standalone);
        axes.draw(svg, Markup::num, "seconds since campaign start", "vehicles committed");
        for (Wave w : drawn) {
            svg.polyline(steps(axes, w), Svg.colour(w.index() - 1), "series",
                    "wave " + w.index() + ": " + w.committed() + " committed");
        }
        legend(svg, waves, TOP + PLOT_H + 56);
        return svg.close();
    }

    private static Svg open(String id, int series, int height, String label, boolean standalone) {
        return standalone ? Svg.standalone(id, "data-series", series, WIDTH, height, label)
                : Svg.open(id, "data-series", series, WIDTH, height, label);
    }

    /** The cumulative step line: flat at zero, one step up at each point, flat to the axis end. */
    private static List<double[]> steps(Axes axes, Wave w) {
        List<double[]> points = new ArrayList<>(2 * w.points().size() + 2);
        points.add(new double[] {axes.px(0), axes.py(0)});
        long before = 0;
        for (long[] p : w.points()) {
            double x = axes.px(p[0] / 1000.0);
            points.add(new double[] {x, axes.py(before)});
            points.add(new double[] {x, axes.py(p[1])});
            before = p[1];
        }
        points.add(new double[] {axes.px(axes.x().top()), axes.py(before)});
        return points;
    }

    private static void legend(Svg svg, List<Wave> waves, double top) {
        double itemWidth = PLOT_W / LEGEND_PER_ROW;
        for (int i = 0; i < waves.size(); i++) {
            Wave w = waves.get(i);
            double x = LEFT + (i % LEGEND_PER_ROW) * itemWidth;
            double y = top + (i / LEGEND_PER_ROW) * 22;
            boolean none = w.committed() == 0;
            String colour = Svg.colour(w.index() - 1);
            svg.rect(x + 1, y + 1, 12, 12, none ? "#ffffff" : colour, "swatch",
                    none ? " stroke=\"" + colour + "\" stroke-width=\"2\"" : "", null);
            String what = none ? "no commits" : w.committed() + " committed";
            svg.text(x + 20, y + 12, "wave " + w.index() + " (" + what + ")", "start", "legend");
        }
    }
}
