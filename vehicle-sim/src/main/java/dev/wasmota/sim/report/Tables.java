package dev.wasmota.sim.report;

import dev.wasmota.charts.Svg;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;

/** The per-campaign wave table: one row per wave with its counts and median time to commit, then the outcome. */
final class Tables {
    private static final String[] HEADINGS = {
        "wave", "state", "targeted", "committed", "failed", "rolled back", "pending", "median time to commit"
    };

    private Tables() {}

    static String waves(CampaignRun c) {
        StringBuilder out = new StringBuilder("<table class=\"waves\">\n<thead><tr>");
        for (String h : HEADINGS) {
            out.append("<th>").append(h).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        if (c.waves().isEmpty()) {
            out.append("<tr><td colspan=\"").append(HEADINGS.length).append("\">no waves</td></tr>\n");
        }
        for (WaveRun w : c.waves()) {
            out.append("<tr><td><span class=\"dot\" style=\"background:").append(Svg.colour(w.index() - 1))
                    .append("\"></span>").append(w.index()).append("</td>")
                    .append("<td class=\"state state-").append(Html.esc(w.state())).append("\">")
                    .append(Html.esc(w.state())).append("</td>")
                    .append(cell(w.targeted())).append(cell(w.committed())).append(cell(w.failed()))
                    .append(cell(w.rolledBack())).append(cell(w.pending()))
                    .append("<td class=\"n\">")
                    .append(Stats.seconds(Percentiles.of(w.commitMillis()), 50))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody>\n</table>\n<p class=\"outcome\">Outcome: ").append(Html.esc(c.outcome()))
                .append("</p>\n").toString();
    }

    /** The shadow samples as a table: per release and moment, compared ticks, agreement, and how the runs stand. */
    static String shadowAgreement(java.util.List<SimReport.ShadowSample> samples) {
        StringBuilder out = new StringBuilder("<table class=\"shadow-agreement\">\n<thead><tr><th>release</th><th>s</th>"
                + "<th>ticks compared</th><th>agreement</th><th>running</th><th>promoted</th><th>discarded</th></tr></thead>\n"
                + "<tbody>\n");
        for (SimReport.ShadowSample x : samples) {
            out.append("<tr><td>").append(Html.esc(x.release())).append("</td><td class=\"n\">")
                    .append(x.atMillis() / 1000).append("</td><td class=\"n\">").append(x.compared())
                    .append("</td><td class=\"n\">").append(String.format(java.util.Locale.ROOT, "%.1f %%",
                            x.agreementPercent())).append("</td>").append(cell(x.running())).append(cell(x.promoted()))
                    .append(cell(x.discarded())).append("</tr>\n");
        }
        return out.append("</tbody>\n</table>\n").toString();
    }

    private static String cell(int n) {
        return "<td class=\"n\">" + n + "</td>";
    }
}
