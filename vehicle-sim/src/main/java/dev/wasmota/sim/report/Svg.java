package dev.wasmota.sim.report;

import java.util.List;

/**
 * A small writer of inline SVG: the few elements the charts use, with every text escaped and
 * every number finite. No {@code xmlns} is written: inline SVG in HTML does not need one, and the
 * report must not mention any URL.
 */
final class Svg {
    /** Distinct, colour-blind-friendly series colours (Okabe–Ito and Tableau), cycled by index. */
    private static final String[] PALETTE = {
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private final StringBuilder out = new StringBuilder();

    private Svg() {}

    /** The colour of series {@code i} (0-based). */
    static String colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * Opens an {@code <svg>} with an {@code id} and a count attribute ({@code data-series} or
     * {@code data-bars}) telling how many series or bars it draws.
     */
    static Svg open(String id, String countAttr, int count, int width, int height, String label) {
        Svg svg = new Svg();
        svg.out.append("<svg id=\"").append(Html.esc(id)).append("\" ").append(countAttr).append("=\"").append(count)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.esc(label)).append("\">\n");
        return svg;
    }

    /** A rectangle; {@code extra} is further attributes (or empty), {@code tooltip} a {@code <title>} or {@code null}. */
    Svg rect(double x, double y, double w, double h, String fill, String cls, String extra, String tooltip) {
        out.append("<rect class=\"").append(cls).append("\" x=\"").append(Html.num(x)).append("\" y=\"")
                .append(Html.num(y)).append("\" width=\"").append(Html.num(Math.max(0, w))).append("\" height=\"")
                .append(Html.num(Math.max(0, h))).append("\" fill=\"").append(fill).append('"').append(extra);
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(Html.esc(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cls) {
        out.append("<line class=\"").append(cls).append("\" x1=\"").append(Html.num(x1)).append("\" y1=\"")
                .append(Html.num(y1)).append("\" x2=\"").append(Html.num(x2)).append("\" y2=\"")
                .append(Html.num(y2)).append("\"/>\n");
        return this;
    }

    /** Text at a point; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
    Svg text(double x, double y, String text, String anchor, String cls) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(Html.num(x)).append("\" y=\"")
                .append(Html.num(y)).append("\" text-anchor=\"").append(anchor).append("\">").append(Html.esc(text))
                .append("</text>\n");
        return this;
    }

    /** Text rotated a quarter turn anticlockwise around its point, for a vertical axis title. */
    Svg verticalText(double x, double y, String text, String cls) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(Html.num(x)).append("\" y=\"")
                .append(Html.num(y)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 ").append(Html.num(x))
                .append(' ').append(Html.num(y)).append(")\">").append(Html.esc(text)).append("</text>\n");
        return this;
    }

    /** A polyline through {@code points}, each {x, y}, with a tooltip. */
    Svg polyline(List<double[]> points, String stroke, String cls, String tooltip) {
        out.append("<polyline class=\"").append(cls).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\" points=\"");
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            out.append(i == 0 ? "" : " ").append(Html.num(p[0])).append(',').append(Html.num(p[1]));
        }
        out.append("\"><title>").append(Html.esc(tooltip)).append("</title></polyline>\n");
        return this;
    }

    String close() {
        return out.append("</svg>\n").toString();
    }
}
