package dev.wasmota.charts;

import java.util.List;

/**
 * A small writer of inline SVG: the few elements the charts use, with every text escaped and
 * every number finite. Inline in HTML no {@code xmlns} is written (the report must not mention any
 * URL); a standalone document ({@link #standalone}) carries it and the style its classes need.
 */
public final class Svg {
    /** Distinct, colour-blind-friendly series colours (Okabe–Ito and Tableau), cycled by index. */
    private static final String[] PALETTE = {
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private final StringBuilder out = new StringBuilder();

    private Svg() {}

    /** The colour of series {@code i} (0-based). */
    public static String colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * Opens an {@code <svg>} with an {@code id} and a count attribute ({@code data-series} or
     * {@code data-bars}) telling how many series or bars it draws.
     */
    public static Svg open(String id, String countAttr, int count, int width, int height, String label) {
        Svg svg = new Svg();
        svg.out.append("<svg id=\"").append(Markup.esc(id)).append("\" ").append(countAttr).append("=\"").append(count)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Markup.esc(label)).append("\">\n");
        return svg;
    }

    /**
     * As {@link #open}, for a document of its own (served as {@code image/svg+xml}): with the SVG
     * namespace and a style for the classes the charts use, since no page's style reaches it.
     */
    public static Svg standalone(String id, String countAttr, int count, int width, int height, String label) {
        Svg svg = open(id, countAttr, count, width, height, label);
        svg.out.insert(4, " xmlns=\"http://www.w3.org/2000/svg\"");
        svg.out.append("<style>text{font:11px sans-serif;fill:#333}.grid{stroke:#e4e4e4}.axis{stroke:#888}")
                .append(".series{stroke-width:2}.axis-title{font-size:12px}.empty{fill:#777}</style>\n");
        return svg;
    }

    /** A rectangle; {@code extra} is further attributes (or empty), {@code tooltip} a {@code <title>} or {@code null}. */
    public Svg rect(double x, double y, double w, double h, String fill, String cls, String extra, String tooltip) {
        out.append("<rect class=\"").append(cls).append("\" x=\"").append(Markup.num(x)).append("\" y=\"")
                .append(Markup.num(y)).append("\" width=\"").append(Markup.num(Math.max(0, w))).append("\" height=\"")
                .append(Markup.num(Math.max(0, h))).append("\" fill=\"").append(fill).append('"').append(extra);
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(Markup.esc(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    public Svg line(double x1, double y1, double x2, double y2, String cls) {
        out.append("<line class=\"").append(cls).append("\" x1=\"").append(Markup.num(x1)).append("\" y1=\"")
                .append(Markup.num(y1)).append("\" x2=\"").append(Markup.num(x2)).append("\" y2=\"")
                .append(Markup.num(y2)).append("\"/>\n");
        return this;
    }

    /** Text at a point; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
    public Svg text(double x, double y, String text, String anchor, String cls) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(Markup.num(x)).append("\" y=\"")
                .append(Markup.num(y)).append("\" text-anchor=\"").append(anchor).append("\">").append(Markup.esc(text))
                .append("</text>\n");
        return this;
    }

    /** Text rotated a quarter turn anticlockwise around its point, for a vertical axis title. */
    public Svg verticalText(double x, double y, String text, String cls) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(Markup.num(x)).append("\" y=\"")
                .append(Markup.num(y)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 ").append(Markup.num(x))
                .append(' ').append(Markup.num(y)).append(")\">").append(Markup.esc(text)).append("</text>\n");
        return this;
    }

    /** A polyline through {@code points}, each {x, y}, with a tooltip. */
    public Svg polyline(List<double[]> points, String stroke, String cls, String tooltip) {
        out.append("<polyline class=\"").append(cls).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\" points=\"");
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            out.append(i == 0 ? "" : " ").append(Markup.num(p[0])).append(',').append(Markup.num(p[1]));
        }
        out.append("\"><title>").append(Markup.esc(tooltip)).append("</title></polyline>\n");
        return this;
    }

    public String close() {
        return out.append("</svg>\n").toString();
    }
}
