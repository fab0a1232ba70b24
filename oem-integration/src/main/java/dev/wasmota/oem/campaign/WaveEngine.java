package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules that move a campaign through its waves, applied inside a transaction: a wave whose
 * error rate reaches the stop threshold stops the campaign (checked first, over every started
 * wave, so late failures in a wave already passed count too, and during a hold); the current wave
 * passes when its success rate reaches the advance threshold and it has run for the campaign's
 * hold since it started (so faults that show only after an install are seen before the next wave),
 * and a running campaign then starts the next wave or completes; a wave that has every answer but
 * stays below the advance threshold pauses the campaign for an operator to decide.
 */
final class WaveEngine {
    private final InstructionIssuer issuer;
    private final ReleaseStore releases;
    private final CampaignAudit audit;
    private final Clock clock;

    WaveEngine(InstructionIssuer issuer, ReleaseStore releases, CampaignAudit audit, Clock clock) {
        this.issuer = issuer;
        this.releases = releases;
        this.audit = audit;
        this.clock = clock;
    }

    /** Issues the instructions of wave {@code index} and makes the campaign RUNNING in it. */
    void startWave(Connection c, Campaign k, int index, Effects fx) throws SQLException {
        Release release = releaseOf(k);
        InstructionIssuer.Batch batch = issuer.batch(c, k, release);
        List<Action> pending = ActionRows.inWave(c, k.id(), index).stream()
                .filter(a -> a.status() == Action.Status.PENDING).toList();
        fx.issued.addAll(batch.issueAll(pending));
        int issued = pending.size();
        batch.finish();
        CampaignRows.updateWave(c, k.id(), index, Wave.State.RUNNING, clock.instant());
        CampaignRows.update(c, k.id(), Campaign.State.RUNNING, index, null, clock.instant());
        fx.records.add(audit.waveStarted(k, index, issued));
    }

    /**
     * Applies the wave rules to a running or paused campaign; returns the campaign as it is
     * afterwards. {@code k} must be the campaign as the transaction {@code c} has it (locked and
     * read in it, or read again after a change): when the rules change nothing, it is returned as is.
     */
    Campaign evaluate(Connection c, Campaign k, Effects fx) throws SQLException {
        if (k.state() != Campaign.State.RUNNING && k.state() != Campaign.State.PAUSED) {
            return k;
        }
        Map<Integer, WaveCounts> counts = WaveCounters.read(c, k.id(), fx.counters);
        // read once: nothing below changes a wave before it returns or moves on (this runs after every status report)
        List<Wave> waves = CampaignRows.waves(c, k);
        for (Wave w : waves) {
            WaveCounts n = counts.get(w.index());
            boolean started = w.state() == Wave.State.RUNNING || w.state() == Wave.State.PASSED;
            if (started && n != null && n.errorsReach(k.stopAt())) {
                return stop(c, k, w.index(), n, fx);
            }
        }
        Optional<String> regressed = healthRegression(c, k);
        if (regressed.isPresent()) {
            return stop(c, k, k.currentWave(), regressed.get(), fx);
        }
        Wave current = waves.get(k.currentWave() - 1);
        WaveCounts n = counts.get(current.index());
        boolean empty = n == null || n.members() == 0;
        if (current.state() == Wave.State.RUNNING && !empty) {
            if (!n.successReaches(k.advanceAt())) {
                if (n.answered() && k.state() == Campaign.State.RUNNING) {
                    String why = "wave " + current.index() + " ended at " + n.successPercent()
                            + "% success, below the advance threshold " + k.advanceAt() + "%; resume to go on";
                    CampaignRows.update(c, k.id(), Campaign.State.PAUSED, k.currentWave(), why, clock.instant());
                    fx.records.add(audit.paused(k, CampaignAudit.BELOW_ADVANCE_THRESHOLD, why));
                    return reload(c, k);
                }
                return k; // unchanged: every caller passes the campaign as its transaction has it
            }
            if (!current.heldFor(k.hold(), clock.instant())) {
                return k;
            }
            CampaignRows.updateWave(c, k.id(), current.index(), Wave.State.PASSED, null);
        } else if (current.state() == Wave.State.RUNNING) {
            CampaignRows.updateWave(c, k.id(), current.index(), Wave.State.PASSED, null);
        }
        if (k.state() == Campaign.State.RUNNING) {
            if (k.currentWave() < k.waveCount()) {
                startWave(c, k, k.currentWave() + 1, fx);
            } else {
                CampaignRows.update(c, k.id(), Campaign.State.COMPLETED, k.currentWave(), null, clock.instant());
                fx.records.add(audit.completed(k));
            }
        }
        return reload(c, k);
    }

    /** The release a campaign rolls out, checked to be the package the campaign was created with. */
    Release releaseOf(Campaign k) {
        Release r = releases.get(k.release());
        if (!r.packageSha256().equals(k.packageSha256())) {
            throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "release " + k.release() + " in the store is package "
                    + r.packageSha256() + ", campaign " + k.id() + " was created for " + k.packageSha256());
        }
        return r;
    }

    /**
     * The install actions' counts per wave, from the counters kept with each action's status
     * ({@link WaveCounters}): this runs after every status report, so counting the campaign's
     * actions each time made a report's cost grow with the campaign.
     */
    static Map<Integer, WaveCounts> countsByWave(Connection c, String campaignId) throws SQLException {
        return WaveCounters.read(c, campaignId);
    }

    /**
     * The campaign's health gate over its started waves: each vehicle whose latest signed health of
     * the release is over it, by metric; a reason naming the metrics and the vehicles, or empty.
     */
    private static Optional<String> healthRegression(Connection c, Campaign k) throws SQLException {
        Optional<HealthGate> gate = RolloutRows.find(c, k).health();
        if (gate.isEmpty()) {
            return Optional.empty();
        }
        Map<String, dev.wasmota.contract.stats.ModuleHealth> health = RolloutRows.health(c, k.id());
        Map<String, List<String>> byMetric = new java.util.TreeMap<>();
        for (Map.Entry<String, dev.wasmota.contract.stats.ModuleHealth> e : health.entrySet()) {
            if (!e.getValue().version().equals(k.release().version())) {
                continue;
            }
            for (HealthGate.Violation v : gate.get().violations(e.getValue())) {
                byMetric.computeIfAbsent(v.metric(), m -> new java.util.ArrayList<>()).add(e.getKey() + " (" + v.detail() + ")");
            }
        }
        if (byMetric.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder("runtime health regressed against the gate (" + gate.get() + "):");
        byMetric.forEach((metric, vehicles) -> why.append(' ').append(metric).append(" on ").append(vehicles.size())
                .append(" vehicle(s): ").append(String.join(", ", vehicles)).append(';'));
        return Optional.of(why.substring(0, why.length() - 1));
    }

    private Campaign stop(Connection c, Campaign k, int wave, WaveCounts n, Effects fx) throws SQLException {
        String why = "wave " + wave + " error rate " + n.errorPercent() + "% (" + n.failed() + " of " + n.members()
                + ") reached the stop threshold " + k.stopAt() + "%";
        return stop(c, k, wave, why, fx);
    }

    private Campaign stop(Connection c, Campaign k, int wave, String why, Effects fx) throws SQLException {
        CampaignRows.updateWave(c, k.id(), wave, Wave.State.FAILED, null);
        CampaignRows.endOpenWaves(c, k.id(), Wave.State.CANCELLED);
        CampaignRows.update(c, k.id(), Campaign.State.STOPPED, k.currentWave(), why, clock.instant());
        fx.records.add(audit.stopped(k, why));
        return reload(c, k);
    }

    private static Campaign reload(Connection c, Campaign k) throws SQLException {
        return CampaignRows.find(c, k.id(), false).orElseThrow();
    }
}
