package dev.wasmota.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * Shadow agreement over time (issue 19): one line per release run as a shadow across a fleet
 * (x = seconds since the run started, y = share of the compared ticks whose writes agreed, 0..100 %),
 * with a legend naming each release and how its shadows ended. Drawn by the simulator's report.
 */
public final class AgreementOverTime {
    private static final int WIDTH = 760;
    private static final double LEFT = 64;
    private static final double TOP = 16;
    private static final double PLOT_W = 670;
    private static final double PLOT_H = 220;
    private static final int LEGEND_PER_ROW = 2;

    /**
     * One release's shadows: its name, how they ended (e.g. {@code discarded}), and the points of its
     * line, each {milliseconds since the start, agreement in percent}, ascending in time.
     */
    public record Series(String release, String outcome, List<double[]> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    private AgreementOverTime() {}

    /** The chart as SVG, inline in HTML or, with {@code standalone}, a document of its own. */
    public static String render(String id, String label, List<Series> series, boolean standalone) {
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return open(id, 0, 48, label, standalone).text(WIDTH / 2.0, 28, "no ticks compared", "middle", "empty")
                    .close();
        }
        double lastMillis = drawn.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(0);
        Axes axes = new Axes(LEFT, TOP, PLOT_W, PLOT_H, 0, Ticks.of(lastMillis / 1000.0, 8, false), Ticks.of(100, 5, true));
        int legendRows = (series.size() + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW;
        Svg svg = open(id, drawn.size(), (int) (TOP + PLOT_H + 56 + 22 * legendRows), label, standalone);
        axes.draw(svg, Markup::num, "seconds since the shadows started", "agreement %");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            if (s.points().isEmpty()) {
                continue;
            }
            List<double[]> line = new ArrayList<>(s.points().size());
            for (double[] p : s.points()) {
                line.add(new double[] {axes.px(p[0] / 1000.0), axes.py(Math.max(0, Math.min(100, p[1])))});
            }
            double[] last = s.points().get(s.points().size() - 1);
            svg.polyline(line, Svg.colour(i), "series", s.release() + ": " + Markup.num(last[1]) + " % agreement, "
                    + s.outcome());
        }
        double top = TOP + PLOT_H + 56;
        double itemWidth = PLOT_W / LEGEND_PER_ROW;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double x = LEFT + (i % LEGEND_PER_ROW) * itemWidth;
            double y = top + (i / LEGEND_PER_ROW) * 22;
            svg.rect(x + 1, y + 1, 12, 12, Svg.colour(i), "swatch", "", null);
            svg.text(x + 20, y + 12, s.release() + " (" + s.outcome() + ")", "start", "legend");
        }
        return svg.close();
    }

    private static Svg open(String id, int series, int height, String label, boolean standalone) {
        return standalone ? Svg.standalone(id, "data-series", series, WIDTH, height, label)
                : Svg.open(id, "data-series", series, WIDTH, height, label);
    }
}
