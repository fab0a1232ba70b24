package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.CampaignService;

/**
 * On the OEM's timer: counts instructions past their expiry as failed and applies the wave rules,
 * then sends a new trust update (written by {@code ota oem revoke}) on to the fleet.
 */
public final class CampaignTicker {
    private final CampaignService campaigns;
    private final Runnable trustUpdates;

    public CampaignTicker(CampaignService campaigns) {
        this(campaigns, () -> { });
    }

    /** {@code trustUpdates} queues a new trust update to the fleet, if there is one. */
    public CampaignTicker(CampaignService campaigns, Runnable trustUpdates) {
        this.campaigns = campaigns;
        this.trustUpdates = trustUpdates;
    }

    public int tick() {
        int expired = campaigns.tick();
        trustUpdates.run();
        return expired;
    }
}
