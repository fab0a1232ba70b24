package dev.wasmota.oem.campaign;

import java.util.List;
import java.util.Optional;

/**
 * A campaign with the standing of each wave, and of its rollback if there was one: what
 * {@code ota oem campaign status} prints.
 *
 * @param campaign the campaign
 * @param waves each wave with its counts, in order
 * @param rollback the counts of the rollback instructions, if the campaign was rolled back
 */
public record CampaignStatus(Campaign campaign, List<WaveStatus> waves, Optional<WaveCounts> rollback) {
    public CampaignStatus {
        waves = List.copyOf(waves);
    }

    /** One wave and how its actions stand. */
    public record WaveStatus(Wave wave, WaveCounts counts) {
    }

    /** The counts over every wave. */
    public WaveCounts total() {
        int members = 0;
        int notInstructed = 0;
        int awaiting = 0;
        int committed = 0;
        int failed = 0;
        for (WaveStatus w : waves) {
            members += w.counts().members();
            notInstructed += w.counts().notInstructed();
            awaiting += w.counts().awaiting();
            committed += w.counts().committed();
            failed += w.counts().failed();
        }
        return new WaveCounts(members, notInstructed, awaiting, committed, failed);
    }
}
