package dev.wasmota.sim.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a simulator run found, the input of the HTML report: every campaign with its waves, the
 * faults injected and what they caused, and the story as it was told.
 *
 * @param title the run's title, e.g. "ota sim demo"
 * @param startedAt when the run started (wall clock)
 * @param elapsed how long it took
 * @param vehicles how many vehicles took part
 * @param campaigns the campaigns, in the order they ran
 * @param faultsInjected faults injected, by kind (e.g. {@code power-loss} → 3)
 * @param rollbacksByCause automatic and campaign rollbacks, by cause (e.g. {@code FAULT_THRESHOLD} → 5)
 * @param refusalsByReason refused installs and dead letters, by reason (e.g. {@code DIGEST_MISMATCH} → 50)
 * @param story the narrative lines, in order
 */
public record SimReport(String title, Instant startedAt, Duration elapsed, int vehicles, List<CampaignRun> campaigns,
                        Map<String, Integer> faultsInjected, Map<String, Integer> rollbacksByCause,
                        Map<String, Integer> refusalsByReason, List<String> story) {
    public SimReport {
        Objects.requireNonNull(title, "title");
        campaigns = List.copyOf(campaigns);
        faultsInjected = Map.copyOf(faultsInjected);
        rollbacksByCause = Map.copyOf(rollbacksByCause);
        refusalsByReason = Map.copyOf(refusalsByReason);
        story = List.copyOf(story);
    }

    /**
     * One campaign as it ran.
     *
     * @param campaignId the campaign
     * @param release the release it rolled out, {@code MODULE@VERSION}
     * @param outcome the campaign's final state (COMPLETED, STOPPED, ...) and why, one line
     * @param waves its waves in order
     */
    public record CampaignRun(String campaignId, String release, String outcome, List<WaveRun> waves) {
        public CampaignRun {
            waves = List.copyOf(waves);
        }
    }

    /**
     * One wave.
     *
     * @param index 1-based
     * @param state the wave's final state (PASSED, FAILED, CANCELLED, RUNNING, PENDING)
     * @param targeted vehicles in the wave
     * @param committed vehicles that committed
     * @param failed vehicles that refused or failed (or did not answer in time)
     * @param rolledBack vehicles that committed, then rolled back
     * @param pending vehicles without an answer at the end
     * @param commitMillis for each committed vehicle, milliseconds from the campaign's start to its commit being counted, ascending
     */
    public record WaveRun(int index, String state, int targeted, int committed, int failed, int rolledBack, int pending,
                          List<Long> commitMillis) {
        public WaveRun {
            commitMillis = List.copyOf(commitMillis);
        }
    }
}
