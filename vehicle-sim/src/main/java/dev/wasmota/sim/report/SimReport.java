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
                        Map<String, Integer> refusalsByReason, List<String> story, List<ShadowSample> shadowAgreement) {
    public SimReport {
        Objects.requireNonNull(title, "title");
        shadowAgreement = List.copyOf(shadowAgreement);
        campaigns = List.copyOf(campaigns);
        faultsInjected = Map.copyOf(faultsInjected);
        rollbacksByCause = Map.copyOf(rollbacksByCause);
        refusalsByReason = Map.copyOf(refusalsByReason);
        story = List.copyOf(story);
    }

    /** A report without shadow runs. */
    public SimReport(String title, Instant startedAt, Duration elapsed, int vehicles, List<CampaignRun> campaigns,
                     Map<String, Integer> faultsInjected, Map<String, Integer> rollbacksByCause,
                     Map<String, Integer> refusalsByReason, List<String> story) {
        this(title, startedAt, elapsed, vehicles, campaigns, faultsInjected, rollbacksByCause, refusalsByReason, story,
                List.of());
    }

    /**
     * The fleet's shadow runs of one release at one moment (issue 19), sampled while they run.
     *
     * @param release the shadow's version
     * @param atMillis milliseconds since the chapter began
     * @param compared ticks compared so far, over every vehicle running or having run it
     * @param agreements of those, the ticks whose writes agreed
     * @param running shadows still running
     * @param promoted shadows promoted
     * @param discarded shadows discarded
     */
    public record ShadowSample(String release, long atMillis, long compared, long agreements, int running, int promoted,
                               int discarded) {
        /** Agreeing share of the compared ticks, percent (100 before any). */
        public double agreementPercent() {
            return compared == 0 ? 100 : 100.0 * agreements / compared;
        }
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
