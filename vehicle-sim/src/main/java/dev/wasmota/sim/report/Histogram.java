package dev.wasmota.sim.report;

import dev.wasmota.charts.TimeToCommit;
import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import java.util.List;

/**
 * Chart 2, time to commit: a histogram of every commit time of a campaign across its waves
 * ({@link TimeToCommit}, the chart the OEM's console draws too), with the median, 90th percentile
 * and maximum.
 */
final class Histogram {
    /** The bars' colour, distinct from every wave's so a screenshot tells them apart. */
    static final String FILL = TimeToCommit.FILL;

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
        return TimeToCommit.render(id(c), "Time to commit, campaign " + c.campaignId(), commitTimes(c),
                "seconds from campaign start to commit", false);
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
}
