package dev.wasmota.sim;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignStatus;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.sim.report.SimReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one campaign at the OEM: when each vehicle's commit was counted (from the campaign's
 * start), the progress for the bar, and, at the end, the campaign as the report shows it.
 */
final class CampaignWatch {
    private static final Set<Campaign.State> ENDED = Set.of(Campaign.State.COMPLETED, Campaign.State.STOPPED,
            Campaign.State.ABORTED, Campaign.State.PAUSED, Campaign.State.ROLLED_BACK);

    private final OemNode oem;
    private final String campaignId;
    private final long startNanos;
    private final Map<String, Long> committedAt = new HashMap<>();

    CampaignWatch(OemNode oem, String campaignId) {
        this.oem = oem;
        this.campaignId = campaignId;
        this.startNanos = System.nanoTime();
    }

    /** Polls until the campaign ends, or {@code settle} holds once it ended, or {@code timeout}; returns its final state. */
    Campaign.State await(Duration timeout, Narrator narrator, FleetEvents events) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Campaign.State state = poll(narrator, events);
            if (ENDED.contains(state) || System.nanoTime() > end) {
                narrator.clearProgress();
                return state;
            }
            Thread.sleep(50);
        }
    }

    /** Waits until every vehicle of the campaign that will answer has answered, for late rollback reports. */
    void settle(Duration atMost, Narrator narrator, FleetEvents events, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            poll(narrator, events);
            Thread.sleep(50);
        }
        narrator.clearProgress();
    }

    private Campaign.State poll(Narrator narrator, FleetEvents events) {
        long now = (System.nanoTime() - startNanos) / 1_000_000;
        CampaignStatus s = oem.campaigns().status(campaignId);
        int targeted = 0;
        for (Action a : oem.campaigns().actions(campaignId)) {
            if (a.kind() == Action.Kind.INSTALL) {
                targeted++;
                if ((a.status() == Action.Status.COMMITTED || a.status() == Action.Status.ROLLED_BACK)
                        && !committedAt.containsKey(a.vehicleId())) {
                    committedAt.put(a.vehicleId(), now);
                }
            }
        }
        var total = s.total();
        narrator.progress(total.committed() + total.failed(), targeted, String.format(
                java.util.Locale.ROOT, "wave %d/%d  committed %d/%d  failed or rolled back %d  faults injected %d",
                s.campaign().currentWave(), s.campaign().waveCount(), total.committed(), targeted, total.failed(),
                events.faultCount()));
        return s.campaign().state();
    }

    /** The campaign as the report shows it. */
    SimReport.CampaignRun run() {
        CampaignStatus s = oem.campaigns().status(campaignId);
        List<Action> actions = oem.campaigns().actions(campaignId);
        List<SimReport.WaveRun> waves = new ArrayList<>();
        for (CampaignStatus.WaveStatus w : s.waves()) {
            List<Long> times = new ArrayList<>();
            for (Action a : actions) {
                if (a.kind() == Action.Kind.INSTALL && a.wave() == w.wave().index() && committedAt.containsKey(a.vehicleId())) {
                    times.add(committedAt.get(a.vehicleId()));
                }
            }
            times.sort(null);
            var c = w.counts();
            int rolledBack = (int) actions.stream().filter(a -> a.kind() == Action.Kind.INSTALL
                    && a.wave() == w.wave().index() && a.status() == Action.Status.ROLLED_BACK).count();
            waves.add(new SimReport.WaveRun(w.wave().index(), w.wave().state().name(), c.members(), c.committed(),
                    c.failed() - rolledBack, rolledBack, c.members() - c.committed() - c.failed(), times));
        }
        Campaign k = s.campaign();
        String outcome = k.state() + k.cause().map(r -> ": " + r).orElse("");
        return new SimReport.CampaignRun(k.id(), k.release().toString(), outcome, waves);
    }
}
