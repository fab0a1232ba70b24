package dev.wasmota.sim.report;

import dev.wasmota.charts.Svg;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chart 3, faults and rollbacks by cause: horizontal bars in three labelled groups (faults
 * injected, rollbacks by cause, refusals by reason) on one shared scale, largest first.
 */
final class BarChart {
    /** The svg id of the chart. */
    static final String ID = "faults-by-cause";

    private static final int WIDTH = 760;
    private static final double LABEL_W = 230;
    private static final double BAR_W = 460;
    private static final double ROW_H = 22;
    private static final double GROUP_H = 28;
    private static final int MAX_LABEL = 30;
    /** The colours of the three groups, in order; none is a wave colour. */
    static final List<String> FILLS = List.of("#f28e2b", "#c0392b", "#8e6bb8");

    private BarChart() {}

    static String render(SimReport r) {
        Map<String, Map<String, Integer>> groups = new LinkedHashMap<>();
        groups.put("Faults injected", r.faultsInjected());
        groups.put("Rollbacks by cause", r.rollbacksByCause());
        groups.put("Refusals and dead letters by reason", r.refusalsByReason());
        int bars = groups.values().stream().mapToInt(Map::size).sum();
        String label = "Faults and rollbacks by cause";
        if (bars == 0) {
            return Svg.open(ID, "data-bars", 0, WIDTH, 48, label)
                    .text(WIDTH / 2.0, 28, "no faults, rollbacks or refusals", "middle", "empty").close();
        }
        int max = groups.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).max()
                .orElse(1);
        double scale = BAR_W / Math.max(1, max);
        int emptyGroups = (int) groups.values().stream().filter(Map::isEmpty).count();
        int height = (int) (groups.size() * GROUP_H + (bars + emptyGroups) * ROW_H + 8);
        Svg svg = Svg.open(ID, "data-bars", bars, WIDTH, height, label);
        double y = 0;
        int g = 0;
        for (Map.Entry<String, Map<String, Integer>> group : groups.entrySet()) {
            y += GROUP_H;
            svg.text(4, y - 8, group.getKey(), "start", "group");
            List<Map.Entry<String, Integer>> rows = sorted(group.getValue());
            if (rows.isEmpty()) {
                svg.text(LABEL_W, y + 15, "none", "end", "legend");
                y += ROW_H;
            }
            for (Map.Entry<String, Integer> row : rows) {
                svg.text(LABEL_W, y + 15, shorten(row.getKey()), "end", "legend");
                double w = Math.max(1, row.getValue() * scale);
                svg.rect(LABEL_W + 8, y + 3, w, ROW_H - 6, FILLS.get(g), "bar",
                        " data-count=\"" + row.getValue() + "\"", row.getKey() + ": " + row.getValue());
                svg.text(LABEL_W + 14 + w, y + 15, String.valueOf(row.getValue()), "start", "value");
                y += ROW_H;
            }
            g++;
        }
        return svg.close();
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL - 1) + "\u2026";
    }
}
