package dev.wasmota.charts;

import java.util.function.DoubleFunction;

/**
 * A plot area with a value axis along each side: maps data to pixels and draws grid lines, ticks,
 * tick labels and axis titles. The x axis may start above zero ({@code xFrom}).
 */
public record Axes(double left, double top, double width, double height, double xFrom, Ticks x, Ticks y) {
    public double px(double v) {
        return left + (v - xFrom) / (x.top() - xFrom) * width;
    }

    public double py(double v) {
        return top + height - v / y.top() * height;
    }

    /** Draws the grid, the ticks with their labels (x labels through {@code xLabel}) and the axis titles. */
    public void draw(Svg svg, DoubleFunction<String> xLabel, String xTitle, String yTitle) {
        double bottom = top + height;
        for (int i = 0; i <= y.count(); i++) {
            double yy = py(y.at(i));
            svg.line(left, yy, left + width, yy, "grid");
            svg.text(left - 6, yy + 4, Markup.num(y.at(i)), "end", "tick");
        }
        int first = (int) Math.ceil(xFrom / x.step() - 1e-9);
        for (int i = first; i <= x.count(); i++) {
            double xx = px(x.at(i));
            svg.line(xx, bottom, xx, bottom + 5, "axis");
            svg.text(xx, bottom + 18, xLabel.apply(x.at(i)), "middle", "tick");
        }
        svg.line(left, bottom, left + width, bottom, "axis");
        svg.line(left, top, left, bottom, "axis");
        svg.text(left + width / 2, bottom + 36, xTitle, "middle", "axis-title");
        svg.verticalText(left - 40, top + height / 2, yTitle, "axis-title");
    }
}
