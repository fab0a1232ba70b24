package dev.wasmota.sim.report;

import dev.wasmota.charts.CommittedOverTime;
import dev.wasmota.sim.report.SimReport.CampaignRun;

/**
 * Chart 1, vehicles committed over time: one cumulative step line per wave of a campaign
 * ({@link CommittedOverTime}, the chart the OEM's console draws too).
 */
final class LineChart {
    private LineChart() {}

    /** The svg id of a campaign's chart. */
    static String id(CampaignRun c) {
        return "committed-over-time-" + c.campaignId();
    }

    static String render(CampaignRun c) {
        return CommittedOverTime.render(id(c), "Vehicles committed over time, per wave, campaign " + c.campaignId(),
                c.waves().stream().map(w -> CommittedOverTime.Wave.of(w.index(), w.commitMillis())).toList(), false);
    }
}
